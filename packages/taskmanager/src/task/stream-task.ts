/**
 * One subtask: a chain of operators fed by a source reader or by input gates, writing to result
 * partitions. The loop is synchronous per batch (a poll of the reader, or one network buffer) and
 * awaits only between batches: for output availability (backpressure), input, splits, or cancellation.
 *
 * Lifecycle: run() resolves when the input ends and every output delivered its end-of-partition,
 * rejects with the first error (user function, network), or resolves early after cancel().
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { JobPlan, PlanNode, SourceReader } from '@eddy/common';
import type { InputGate, NetworkEnvironment, ResultPartition } from '../network/index.js';
import { createRecordCodec } from '../network/index.js';
import { OperatorChain } from './operator-chain.js';
import { RecordWriterOutput, type RoutedPartition } from './record-writer-output.js';
import type { TaskDescriptor } from './task-descriptor.js';
import type { TaskPorts } from './task-ports.js';

const SOURCE_BATCH = 1024;
const SPLIT_RETRY_MS = 200;

export class StreamTask {
  recordsIn = 0;
  private canceled = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly nodes: PlanNode[];
  private readonly gates: InputGate[] = [];
  private readonly partitions: ResultPartition[] = [];
  private readonly output: RecordWriterOutput;
  private readonly chain: OperatorChain;

  constructor(
    readonly descriptor: TaskDescriptor,
    private readonly plan: JobPlan,
    net: NetworkEnvironment,
    private readonly ports: TaskPorts,
  ) {
    const d = descriptor;
    this.nodes = d.operatorIds.map((id) => {
      const n = plan.nodes.find((x) => x.id === id);
      if (!n) throw new Error(`operator ${id} is not in the job module: was the job file changed after submission?`);
      return n;
    });
    const codec = createRecordCodec();
    const last = this.nodes[this.nodes.length - 1]!;
    const routed: RoutedPartition[] = d.outputs.map((o) => {
      const partition = net.createResultPartition({
        consumers: o.consumers,
        producerIndex: d.subtaskIndex,
        codec,
        bufferSizeBytes: d.config.bufferSizeBytes,
        bufferTimeoutMs: d.config.bufferTimeoutMs,
        maxQueuedBuffersPerChannel: d.config.maxQueuedBuffersPerChannel,
      });
      partition.onError((e) => this.fail(e));
      this.partitions.push(partition);
      const edge = plan.edges.find((e) => e.source === last.id && e.target === o.targetVertex);
      return { partition, partitioner: o.partitioner, ...(edge?.keySelector ? { keySelector: edge.keySelector } : {}) };
    });
    for (const g of d.inputs) {
      const gate = net.createInputGate({ taskKey: d.taskKey, gateIndex: g.gateIndex, numChannels: g.numChannels, creditsPerChannel: d.config.creditsPerChannel, codec });
      gate.onError((e) => this.fail(e));
      this.gates.push(gate);
    }
    this.output = new RecordWriterOutput(routed, d.subtaskIndex, d.parallelism, d.maxParallelism);
    this.chain = new OperatorChain(this.nodes, plan, this.output);
  }

  get isCanceled(): boolean {
    return this.canceled;
  }

  get recordsOut(): number {
    return this.output.recordsOut;
  }

  async run(): Promise<void> {
    const d = this.descriptor;
    try {
      this.chain.open({ subtaskIndex: d.subtaskIndex, parallelism: d.parallelism, maxParallelism: d.maxParallelism, jobId: d.jobId });
      const head = this.nodes[0]!;
      if (head.spec.kind === 'source') await this.runSource(head);
      else await this.runInputs();
      this.check();
      if (this.canceled) return;
      this.chain.finish();
      await this.chain.flush(true);
      await Promise.all(this.partitions.map((p) => p.finish()));
      this.check();
    } finally {
      await this.release();
    }
  }

  cancel(): void {
    this.canceled = true;
    this.wake?.();
  }

  private async runSource(node: PlanNode): Promise<void> {
    if (node.spec.kind !== 'source') return;
    const d = this.descriptor;
    const reader = node.spec.source.createReader({ subtaskIndex: d.subtaskIndex, parallelism: d.parallelism }) as SourceReader<unknown, unknown>;
    const head = this.chain.head;
    const counting = { collect: (r: unknown) => { this.recordsIn++; head.collect(r); } };
    try {
      while (!this.canceled) {
        this.check();
        if (!this.outputsAvailable()) {
          await this.until(Promise.race(this.partitions.map((p) => p.availability())));
          continue;
        }
        const status = reader.pollNext(counting, SOURCE_BATCH);
        if (status === 'needs-split') {
          this.flushOutputs();
          const a = await this.until(this.ports.requestSplit(node.id, d.subtaskIndex));
          if (a === undefined) continue;
          if (a.kind === 'split') reader.addSplit(a.split);
          else if (a.kind === 'no-more') return;
          else await this.until(sleep(SPLIT_RETRY_MS));
        } else if (status === 'nothing-available') {
          this.flushOutputs();
          await this.chain.flush(false);
          await this.until(reader.available ? reader.available() : sleep(10));
        } else {
          await yieldToLoop();
        }
      }
    } finally {
      reader.close?.();
    }
  }

  private async runInputs(): Promise<void> {
    const gates = this.gates;
    const ended = new Array<boolean>(gates.length).fill(false);
    let open = gates.length;
    let next = 0;
    const head = this.chain.head;
    while (open > 0 && !this.canceled) {
      this.check();
      if (!this.outputsAvailable()) {
        await this.until(Promise.race(this.partitions.map((p) => p.availability())));
        continue;
      }
      let event;
      for (let tries = 0; tries < gates.length && event === undefined; tries++) {
        const i = next;
        next = next + 1 === gates.length ? 0 : next + 1;
        if (ended[i]) continue;
        const ev = gates[i]!.pollNext();
        if (ev === 'end') {
          ended[i] = true;
          open--;
        } else if (ev !== undefined) event = ev;
      }
      if (event === undefined) {
        if (open === 0) break;
        // Idle: send partly filled buffers now rather than at the timeout (low latency at low rates).
        this.flushOutputs();
        await this.chain.flush(false);
        await this.until(Promise.race(gates.filter((_, i) => !ended[i]).map((g) => g.availability())));
        continue;
      }
      const records = event.records;
      for (let i = 0; i < records.length; i++) head.collect(records[i]);
      this.recordsIn += records.length;
      await yieldToLoop();
    }
  }

  private outputsAvailable(): boolean {
    const ps = this.partitions;
    for (let i = 0; i < ps.length; i++) if (!ps[i]!.isAvailable()) return false;
    return true;
  }

  private flushOutputs(): void {
    for (const p of this.partitions) p.flush();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake?.();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Awaits `p`, but returns early (undefined) on cancel or failure. */
  private until<T>(p: Promise<T>): Promise<T | undefined> {
    if (this.canceled || this.failure) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      this.wake = () => resolve(undefined);
      p.then(resolve, reject);
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private async release(): Promise<void> {
    try {
      await this.chain.close();
    } finally {
      for (const g of this.gates) g.close();
      for (const p of this.partitions) p.close();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * One subtask: a chain of operators fed by a source driver or by input gates, writing to result
 * partitions. The loop is synchronous per batch (a source poll, or one network buffer) and awaits only
 * between batches: for output availability (backpressure), input, splits, state write-out, timers or
 * cancellation. Keyed tasks own a state backend for their key-group range and the operators' timers.
 *
 * run() resolves when the input ends and every output delivered its end-of-partition, rejects with the
 * first error (user function, network), or resolves early after cancel().
 *
 * Checkpoints (descriptor.checkpointing; docs/decisions/0001-checkpoints.md): triggers and
 * notifications from outside are mails (checkpoint/task-mailbox.ts) that run at batch boundaries;
 * barriers from the gates are aligned by a GateAlignment; the SubtaskCheckpointer takes, writes and
 * acknowledges the snapshots. With checkpointing, run() resolves only after the checkpoint holding
 * the task's final snapshot completed and its sinks committed. Without it, none of this exists:
 * barriers are ignored and the task runs as it always did.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** How long a busy task runs between turns of the event loop. */
const YIELD_EVERY_MS = 1;
import { DEAD_LETTER_TAG, KEYED_KINDS, isErrorNamed, keyGroupRangeForSubtask, type DeadLetter, type JobPlan, type PlanNode, type RuntimeContext } from '@eddy/common';
import type { InputGate, NetworkEnvironment, ResultPartition } from '../network/index.js';
import { createRecordCodec } from '../network/index.js';
import { isTwoInput, type Input, type OperatorContext } from '../operators/stream-operator.js';
import { taskStateDir } from '../data-dir/data-dir-layout.js';
import { createKeyedStateBackend } from '../state/index.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import { HeapTimerService } from '../time/heap-timer-service.js';
import type { TimerTarget } from '../time/internal-timer-service.js';
import { GateAlignment } from '../checkpoint/gate-alignment.js';
import type { SubtaskCheckpointer } from '../checkpoint/subtask-checkpointer.js';
import { setUpCheckpointing } from '../checkpoint/task-checkpointing.js';
import { TaskMailbox } from '../checkpoint/task-mailbox.js';
import { OperatorChain } from './operator-chain.js';
import { RecordWriterOutput, type RoutedPartition } from './record-writer-output.js';
import { SourceDriver } from './source-driver.js';
import { StatusWatermarkValve } from './status-watermark-valve.js';
import type { TaskDescriptor } from './task-descriptor.js';
import type { TaskPorts } from './task-ports.js';
import { OperatorOutputError } from './task-errors.js';

export interface TaskEnvironment {
  /** The slot's data directory; keyed state goes below it. */
  dataDir: string;
  now(): number;
}

export class StreamTask {
  private canceled = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private inputRecords = 0;
  private firstInputTime = 0;
  private readonly nodes: PlanNode[];
  private readonly gates: InputGate[] = [];
  private readonly partitions: ResultPartition[] = [];
  /** The network output of each operator of the chain (empty for operators with no edges out of the vertex). */
  private readonly outputs = new Map<string, RecordWriterOutput>();
  private readonly chain: OperatorChain;
  private readonly timers: HeapTimerService[] = [];
  private backend: KeyedStateBackend | undefined;
  private source: SourceDriver | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private readonly mailbox = new TaskMailbox(() => this.wake?.());
  private checkpointer: SubtaskCheckpointer | undefined;
  private alignment: GateAlignment | undefined;

  constructor(
    readonly descriptor: TaskDescriptor,
    private readonly plan: JobPlan,
    net: NetworkEnvironment,
    private readonly ports: TaskPorts,
    private readonly env: TaskEnvironment,
  ) {
    const d = descriptor;
    this.nodes = d.operatorIds.map((id) => {
      const n = plan.nodes.find((x) => x.id === id);
      if (!n) throw new Error(`operator ${id} is not in the job module: was the job file changed after submission?`);
      return n;
    });
    const codec = createRecordCodec();
    const last = this.nodes[this.nodes.length - 1]!;
    const routedOf = new Map<string, RoutedPartition[]>(this.nodes.map((n) => [n.id, []]));
    for (const o of d.outputs) {
      const from = o.sourceOperator ?? last.id;
      const routes = routedOf.get(from);
      if (!routes) throw new Error(`output to vertex ${o.targetVertex} starts at operator ${from}, which is not in this task's chain`);
      const partition = net.createResultPartition({
        consumers: o.consumers,
        producerIndex: d.subtaskIndex,
        codec,
        bufferSizeBytes: d.config.bufferSizeBytes,
        bufferTimeoutMs: d.config.bufferTimeoutMs,
        maxQueuedBuffersPerChannel: d.config.maxQueuedBuffersPerChannel,
      });
      const writer = this.nodes.find((n) => n.id === from)!;
      partition.onError((e) => this.fail(isErrorNamed(e, 'RecordTooLargeError') ? new OperatorOutputError(writer.id, writer.name, o.targetVertex, e) : e));
      this.partitions.push(partition);
      const edge = plan.edges.find((e) => e.source === from && e.target === o.targetVertex && (e.sideOutputTag ?? '') === (o.sideOutputTag ?? ''));
      routes.push({
        partition,
        partitioner: o.partitioner,
        ...(edge?.keySelector ? { keySelector: edge.keySelector } : {}),
        ...(o.sideOutputTag ? { sideOutputTag: o.sideOutputTag } : {}),
      });
    }
    for (const g of d.inputs) {
      const gate = net.createInputGate({ taskKey: d.taskKey, gateIndex: g.gateIndex, numChannels: g.numChannels, creditsPerChannel: d.config.creditsPerChannel, codec });
      gate.onError((e) => this.fail(e));
      this.gates.push(gate);
    }
    for (const [id, routes] of routedOf) this.outputs.set(id, new RecordWriterOutput(routes, d.subtaskIndex, d.parallelism, d.maxParallelism));
    this.chain = new OperatorChain(this.nodes, plan, (id) => this.outputs.get(id)!);
    if (d.checkpointing) {
      this.alignment = new GateAlignment(this.gates, d.inputs.map((g) => g.numChannels), d.checkpointing.mode, (id, reason) => this.checkpointer?.decline(id, reason));
    }
  }

  /** From the coordinator, to source tasks and tasks whose input ended; taken at the next batch boundary. */
  triggerCheckpoint(checkpointId: number, timestamp: number): void {
    if (!this.descriptor.checkpointing) {
      this.ports.declineCheckpoint(checkpointId, 'the task runs without checkpointing');
      return;
    }
    this.mailbox.put(() => this.checkpointer?.triggerCheckpoint(checkpointId, timestamp));
  }

  notifyCheckpointComplete(checkpointId: number): void {
    if (this.descriptor.checkpointing) this.mailbox.put(() => this.checkpointer?.notifyCheckpointComplete(checkpointId));
  }

  notifyCheckpointAborted(checkpointId: number): void {
    if (!this.descriptor.checkpointing) return;
    this.mailbox.put(() => {
      this.alignment?.abortPending(checkpointId);
      this.checkpointer?.notifyCheckpointAborted(checkpointId);
    });
  }

  get isCanceled(): boolean {
    return this.canceled;
  }

  get recordsIn(): number {
    return this.source ? this.source.recordsIn : this.inputRecords;
  }

  /** Epoch ms at which the task began handling its first record (a source: began emitting); 0 = none yet. */
  get firstRecordTime(): number {
    return this.source ? this.source.firstRecordTime : this.firstInputTime;
  }

  /** Records written to the edges that leave the vertex. */
  get recordsOut(): number {
    let n = 0;
    for (const o of this.outputs.values()) if (o.hasMainEdges) n += o.recordsOut;
    return n;
  }

  async run(): Promise<void> {
    const d = this.descriptor;
    try {
      if (this.nodes.some((n) => KEYED_KINDS.has(n.spec.kind))) {
        this.backend = await createKeyedStateBackend({
          kind: d.config.stateBackend,
          dir: taskStateDir(this.env.dataDir, d.jobId, d.vertexId, d.subtaskIndex, d.attemptId),
          maxParallelism: d.maxParallelism,
          keyGroupRange: keyGroupRangeForSubtask(d.maxParallelism, d.parallelism, d.subtaskIndex),
          cacheEntries: d.config.stateCacheEntries,
        });
      }
      const head = this.nodes[0]!;
      const checkpointing = await setUpCheckpointing({
        descriptor: d,
        head,
        operators: this.chain.operators,
        backend: this.backend,
        partitions: this.partitions,
        timers: this.timers,
        ports: this.ports,
        source: () => this.source,
      });
      this.checkpointer = checkpointing?.checkpointer;
      this.chain.open(this.operatorContext());
      const entry: Input = this.chain.entry;
      if (head.spec.kind === 'source') {
        this.source = new SourceDriver(head, entry, this.sourceHost(head), checkpointing?.sourceSplits);
        await this.source.run();
      } else {
        await this.runInputs(entry);
      }
      this.check();
      if (this.canceled) return;
      this.chain.finish();
      await this.chain.flush(true);
      await this.backend?.flush();
      if (this.checkpointer) {
        await this.finishWithFinalCheckpoint(this.checkpointer);
      } else {
        await Promise.all(this.partitions.map((p) => p.finish()));
      }
      this.check();
    } finally {
      await this.release();
    }
  }

  cancel(): void {
    this.canceled = true;
    this.wake?.();
  }

  /**
   * End of input with checkpointing: acknowledge the final snapshot, let the consumers see the end,
   * and stay until a checkpoint holding the final snapshot completes (mails run meanwhile: they bring
   * the triggers and the notice), or the task is canceled.
   */
  private async finishWithFinalCheckpoint(checkpointer: SubtaskCheckpointer): Promise<void> {
    await checkpointer.finishInput();
    await this.untilSettled(Promise.all(this.partitions.map((p) => p.finish())));
    await this.untilSettled(checkpointer.finalCommitted);
  }

  private operatorContext(): OperatorContext {
    const d = this.descriptor;
    const runtime = { subtaskIndex: d.subtaskIndex, parallelism: d.parallelism, maxParallelism: d.maxParallelism, jobId: d.jobId, operatorId: '' } as RuntimeContext;
    return {
      runtime,
      stateBackend: this.backend,
      now: () => this.env.now(),
      createTimerService: (_operatorId: string, target: TimerTarget) => {
        if (!this.backend) throw new Error('timers are only available on a keyed stream: call keyBy() first');
        const t = new HeapTimerService(this.backend, target, () => this.env.now());
        t.onProcessingTimerChange = (ts) => this.scheduleWake(ts);
        this.timers.push(t);
        return t;
      },
    };
  }

  private emitWatermarkStatus(idle: boolean): void {
    for (const o of this.outputs.values()) o.emitWatermarkStatus(idle);
  }

  private sourceHost(node: PlanNode) {
    const d = this.descriptor;
    const deadLetter = (raw: unknown, error: Error): void => {
      const letter: DeadLetter = { record: raw, error: error.message, stack: error.stack ?? '', operatorId: node.id, operatorName: node.name };
      this.outputs.get(node.id)!.collectSide(DEAD_LETTER_TAG, letter, NaN);
    };
    return {
      ...(node.deadLetters ? { deadLetter } : {}),
      subtaskIndex: d.subtaskIndex,
      parallelism: d.parallelism,
      now: () => this.env.now(),
      outputReady: async (): Promise<boolean> => {
        while (!this.outputsAvailable()) {
          this.check();
          if (this.canceled) return false;
          await this.until(this.blockedOutputs());
        }
        this.check();
        return !this.canceled;
      },
      requestSplit: (operatorId: string) => this.ports.requestSplit(operatorId, d.subtaskIndex),
      until: <T>(p: Promise<T>) => this.until(p),
      untilWithoutMail: <T>(p: Promise<T>) => this.until(p, false),
      betweenBatches: (idle: boolean) => this.betweenBatches(idle),
      markIdle: (idle: boolean) => this.emitWatermarkStatus(idle),
      stopped: () => this.canceled || this.failure !== undefined,
    };
  }

  private async runInputs(entry: Input): Promise<void> {
    const gates = this.gates;
    const offsets: number[] = [];
    let total = 0;
    for (const g of this.descriptor.inputs) {
      offsets.push(total);
      total += g.numChannels;
    }
    const head: object = entry;
    // Where each gate's records go, decided once: the second input of a two-input head, else the entry.
    const targets = this.descriptor.inputs.map((g): ((v: unknown, t: number) => void) =>
      g.inputIndex === 1 && isTwoInput(head) ? (v, t) => head.processElement2(v, t) : (v, t) => entry.processElement(v, t),
    );
    const valve = new StatusWatermarkValve(total);
    const alignment = this.alignment;
    const ended = new Array<boolean>(gates.length).fill(false);
    let open = gates.length;
    let next = 0;
    while (open > 0 && !this.canceled) {
      this.check();
      if (!this.outputsAvailable()) {
        await this.until(this.blockedOutputs());
        continue;
      }
      let gi = -1;
      let ev;
      for (let tries = 0; tries < gates.length && ev === undefined; tries++) {
        gi = next;
        next = next + 1 === gates.length ? 0 : next + 1;
        if (ended[gi]) continue;
        const e = gates[gi]!.pollNext();
        if (e === 'end') {
          ended[gi] = true;
          open--;
          for (let c = 0; c < this.descriptor.inputs[gi]!.numChannels; c++) this.advance(entry, valve.onEnd(offsets[gi]! + c));
        } else if (e !== undefined) ev = e;
      }
      if (ev === undefined) {
        if (alignment !== undefined) {
          alignment.onInputsDrained();
          // Aligned: snapshot, then poll what the released channels held back.
          if (await this.snapshotIfAligned(alignment)) continue;
        }
        if (open === 0) break;
        await this.betweenBatches(true);
        await this.until(Promise.race(gates.filter((_, i) => !ended[i]).map((g) => g.availability())));
        continue;
      }
      if ('records' in ev) {
        const { records, timestamps } = ev;
        const target = targets[gi]!;
        for (let i = 0; i < records.length; i++) target(records[i], timestamps ? timestamps[i]! : NaN);
        if (this.inputRecords === 0) this.firstInputTime = Date.now();
        this.inputRecords += records.length;
        await this.betweenBatches(false);
      } else if (ev.event.type === 'watermark') {
        this.advance(entry, valve.onWatermark(offsets[gi]! + ev.channel, ev.event.timestamp));
      } else if (ev.event.type === 'watermark-status') {
        const wasIdle = valve.allIdle;
        this.advance(entry, valve.onStatus(offsets[gi]! + ev.channel, ev.event.idle));
        if (valve.allIdle !== wasIdle) this.emitWatermarkStatus(valve.allIdle);
      } else if (alignment !== undefined) {
        alignment.onBarrier(gi, ev.channel, ev.event);
        await this.snapshotIfAligned(alignment);
      }
    }
  }

  private async snapshotIfAligned(alignment: GateAlignment): Promise<boolean> {
    const aligned = alignment.takeAligned();
    if (aligned === undefined) return false;
    await this.checkpointer!.snapshotAtBarrier(aligned.barrier, aligned.alignmentMs);
    return true;
  }

  private advance(entry: Input, watermark: number | undefined): void {
    if (watermark !== undefined) entry.processWatermark(watermark);
  }

  /** Between batches: idle flush, processing-time timers, state write-out, a turn of the event loop. */
  private lastYield = 0;

  private async betweenBatches(idle: boolean): Promise<void> {
    if (idle) {
      // Idle: send partly filled buffers now rather than at the timeout (low latency at low rates).
      for (const p of this.partitions) p.flush();
      await this.chain.flush(false);
    }
    this.fireProcessingTimers();
    const pending = this.backend?.maybeFlush();
    if (pending) await pending;
    if (this.mailbox.hasMail) await this.mailbox.runAll();
    // Busy: let the event loop run (network, control messages, interval timers) about once a
    // millisecond; a turn per batch cost several percent of a fast source's time.
    if (!idle) {
      const now = performance.now();
      if (now - this.lastYield >= YIELD_EVERY_MS) {
        await yieldToLoop();
        this.lastYield = performance.now();
      }
    }
  }

  private fireProcessingTimers(): void {
    if (this.timers.length === 0) return;
    const now = this.env.now();
    for (const t of this.timers) {
      const n = t.nextProcessingTime();
      if (n !== undefined && n <= now) t.advanceProcessingTime(now);
    }
    let earliest = Infinity;
    for (const t of this.timers) earliest = Math.min(earliest, t.nextProcessingTime() ?? Infinity);
    if (earliest < Infinity) this.scheduleWake(earliest);
  }

  /** Wakes an idle loop when a processing-time timer is due. */
  private scheduleWake(at: number): void {
    if (at >= this.wakeAt) return;
    this.wakeAt = at;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeAt = Infinity;
      this.wakeTimer = undefined;
      this.wake?.();
    }, Math.max(0, at - this.env.now()));
  }

  /**
   * Resolves when one of the blocked partitions becomes available (or fails). Only blocked ones: an
   * available partition's availability() is already resolved, and racing it would spin this loop on
   * microtasks forever, starving the event loop of the I/O that brings credit.
   */
  private blockedOutputs(): Promise<void> {
    return Promise.race(this.partitions.filter((p) => !p.isAvailable()).map((p) => p.availability()));
  }

  private outputsAvailable(): boolean {
    const ps = this.partitions;
    for (let i = 0; i < ps.length; i++) if (!ps[i]!.isAvailable()) return false;
    return true;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake?.();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * Awaits `p`, but returns early (undefined) on cancel, failure or a due timer. Mails that arrive
   * meanwhile run and the wait goes on — unless `mails` is false (a split request in flight): then
   * they wait, and so does a due timer.
   */
  private async until<T>(p: Promise<T>, mails = true): Promise<T | undefined> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    const settled = p.then(
      (value) => void (outcome = { ok: true, value }),
      (error: unknown) => void (outcome = { ok: false, error }),
    );
    for (;;) {
      if (this.canceled || this.failure) return undefined;
      if (outcome !== undefined) {
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      if (mails && this.mailbox.hasMail) {
        await this.mailbox.runAll();
        continue;
      }
      const woken = await new Promise<boolean>((resolve) => {
        this.wake = () => resolve(true);
        void settled.then(() => resolve(false));
      });
      this.wake = undefined;
      if (woken && mails && outcome === undefined && !this.mailbox.hasMail) return undefined;
    }
  }

  /** Awaits `p` with mails running, through timer wakeups; undefined when the task stops first. */
  private async untilSettled<T>(p: Promise<T>): Promise<T | undefined> {
    let done = false;
    const tracked = p.finally(() => (done = true));
    for (;;) {
      // until() attaches to `tracked` even when the task already stopped, so a rejection is never unhandled.
      const value = await this.until(tracked);
      if (done || this.canceled || this.failure) return value;
    }
  }

  private async release(): Promise<void> {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.checkpointer?.dispose();
    try {
      await this.chain.close();
      await this.backend?.close();
    } finally {
      for (const g of this.gates) g.close();
      for (const p of this.partitions) p.close();
    }
  }
}

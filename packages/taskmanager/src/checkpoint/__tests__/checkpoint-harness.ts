/**
 * Runs every subtask of a real plan as StreamTasks in this thread, on real NetworkEnvironments, with
 * fake ports that play the JobManager's part in checkpoints the way the contract asks of it: the
 * split enumerators (answering `none-yet` between a trigger and the reader's acknowledgement), the
 * triggers (to source tasks, and to tasks that sent their final snapshot), the acknowledgements, the
 * completion and abort notices (a completed checkpoint subsumes older pending ones), a finished
 * task's final snapshot standing in for it, and the restore of a fresh set of tasks from a completed
 * checkpoint (the same snapshot per subtask, the enumerators' state from the trigger).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildJobGraph,
  parseJobConfig,
  silentLogger,
  type CheckpointingMode,
  type JobPlan,
  type PartitionerName,
  type SplitAssignment,
  type SplitEnumerator,
} from '@eddy/common';
import { NetworkEnvironment } from '../../network/index.js';
import { StreamTask } from '../../task/stream-task.js';
import type { TaskDescriptor } from '../../task/task-descriptor.js';
import type { TaskPorts } from '../../task/task-ports.js';
import { FINAL_CHECKPOINT, type CheckpointMetrics, type TaskCheckpointSnapshot } from '../task-checkpoint-snapshot.js';

export const HOST = '127.0.0.1';

/** What the JobManager keeps of a completed checkpoint. */
export interface CompletedCheckpoint {
  readonly id: number;
  /** Enumerator state by source operator id, taken at the trigger. */
  readonly enumerators: ReadonlyMap<string, unknown>;
  /** Acknowledged snapshot by task (`<vertex>/<subtask>`). */
  readonly tasks: ReadonlyMap<string, TaskCheckpointSnapshot>;
}

export interface HarnessOptions {
  readonly jobId: string;
  /** Makes attempt ids (and task keys) of this run unique. */
  readonly attempt: string;
  readonly mode: CheckpointingMode;
  readonly checkpointDir: string;
  readonly sharedDir?: string;
  readonly dataDir: string;
  readonly restore?: CompletedCheckpoint;
  /** Checkpoint ids go on after this one (the coordinator's counter survives a restore). @default restore.id or 0 */
  readonly lastCheckpointId?: number;
  /** Trigger a checkpoint at once when every task sent its final snapshot (so a bounded job ends). @default true */
  readonly finalCheckpoint?: boolean;
}

export interface Ack {
  readonly task: string;
  readonly checkpointId: number;
  readonly snapshot: TaskCheckpointSnapshot;
  readonly metrics: CheckpointMetrics;
}

interface Pending {
  readonly id: number;
  readonly enumerators: Map<string, unknown>;
  readonly acks: Map<string, TaskCheckpointSnapshot>;
  readonly waiters: ((c: CompletedCheckpoint | Error) => void)[];
}

interface Deployed {
  readonly key: string;
  readonly task: StreamTask;
  readonly isSource: boolean;
}

export class CheckpointHarness {
  readonly acks: Ack[] = [];
  readonly declines: { task: string; checkpointId: number; reason: string }[] = [];
  readonly completed: CompletedCheckpoint[] = [];
  /** What a coordinator would reject: a second acknowledgement of one checkpoint by one task. */
  readonly protocolErrors: string[] = [];
  readonly tasks: Deployed[] = [];
  private readonly enumerators = new Map<string, SplitEnumerator<unknown>>();
  private readonly pending = new Map<number, Pending>();
  /** Source tasks that must not get a split until they acknowledged these checkpoints. */
  private readonly gated = new Map<string, Set<number>>();
  /** Tasks that sent their final snapshot, with it. */
  private readonly finished = new Map<string, TaskCheckpointSnapshot>();
  /** Tasks whose run() resolved: later checkpoints take their final snapshot without asking them. */
  private readonly ended = new Set<string>();
  private lastId: number;

  /** The id of the last checkpoint triggered. */
  get lastCheckpointId(): number {
    return this.lastId;
  }
  private runs: Promise<unknown> | undefined;

  private constructor(
    private readonly plan: JobPlan,
    private readonly options: HarnessOptions,
  ) {
    this.lastId = options.lastCheckpointId ?? options.restore?.id ?? 0;
  }

  /** Builds the tasks of `plan` as the JobManager deploys them; subtask i runs in envs[i % envs.length]. */
  static deploy(plan: JobPlan, envs: readonly NetworkEnvironment[], options: HarnessOptions): CheckpointHarness {
    const h = new CheckpointHarness(plan, options);
    const graph = buildJobGraph(plan);
    const config = parseJobConfig(graph.configJson);
    const parallelism = new Map(graph.vertices.map((v) => [v.id, v.parallelism]));
    const taskKey = (vertex: string, i: number): string => `${options.jobId}/${vertex}/${i}/${options.attempt}`;
    const gateOf = new Map<number, number>();
    const gates = new Map<string, number>();
    graph.edges.forEach((e, i) => {
      gateOf.set(i, gates.get(e.target) ?? 0);
      gates.set(e.target, (gates.get(e.target) ?? 0) + 1);
    });
    for (const v of graph.vertices) {
      const head = plan.nodes.find((n) => n.id === v.operators[0]!.id)!;
      if (head.spec.kind === 'source') {
        const source = head.spec.source;
        const ctx = { parallelism: v.parallelism };
        const state = options.restore?.enumerators.get(head.id);
        h.enumerators.set(head.id, state === undefined ? source.createEnumerator(ctx) : source.restoreEnumerator!(ctx, state));
      }
      for (let i = 0; i < v.parallelism; i++) {
        const key = `${v.id}/${i}`;
        const d: TaskDescriptor = {
          jobId: options.jobId,
          attemptId: `${options.attempt}-${h.tasks.length}`,
          jobName: graph.name,
          vertexId: v.id,
          subtaskIndex: i,
          parallelism: v.parallelism,
          maxParallelism: graph.maxParallelism,
          slotIndex: 0,
          operatorIds: v.operators.map((o) => o.id),
          taskKey: taskKey(v.id, i),
          config,
          inputs: graph.edges.flatMap((e, ei) =>
            e.target === v.id ? [{ gateIndex: gateOf.get(ei)!, inputIndex: e.inputIndex, partitioner: e.partitioner as PartitionerName, numChannels: parallelism.get(e.source)!, sourceVertex: e.source }] : [],
          ),
          outputs: graph.edges.flatMap((e, ei) =>
            e.source === v.id
              ? [{
                  partitioner: e.partitioner as PartitionerName,
                  ...(e.sideOutputTag ? { sideOutputTag: e.sideOutputTag } : {}),
                  ...(e.sourceOperator ? { sourceOperator: e.sourceOperator } : {}),
                  targetVertex: e.target,
                  consumers: Array.from({ length: parallelism.get(e.target)! }, (_, j) => ({ host: HOST, port: envs[j % envs.length]!.port, taskKey: taskKey(e.target, j), gateIndex: gateOf.get(ei)! })),
                }]
              : [],
          ),
          checkpointing: { mode: options.mode, checkpointDir: options.checkpointDir, ...(options.sharedDir ? { sharedDir: options.sharedDir } : {}) },
        };
        const restored = options.restore?.tasks.get(key);
        if (options.restore && restored) d.restore = { checkpointId: options.restore.id, state: structuredClone(restored) };
        const task = new StreamTask(d, plan, envs[i % envs.length]!, h.portsOf(key, head.id), { dataDir: options.dataDir, now: Date.now });
        h.tasks.push({ key, task, isSource: head.spec.kind === 'source' });
      }
    }
    return h;
  }

  /** Starts every task; the promise settles when all ended (rejects with the first failure). */
  start(): Promise<unknown> {
    this.runs = Promise.all(this.tasks.map((t) => t.task.run().then(() => this.onEnded(t.key))));
    return this.runs;
  }

  /** Triggers a new checkpoint the coordinator's way; returns its id. */
  trigger(): number {
    const id = ++this.lastId;
    const enumerators = new Map<string, unknown>();
    for (const [op, e] of this.enumerators) enumerators.set(op, e.snapshotState!(id));
    const p: Pending = { id, enumerators, acks: new Map(), waiters: [] };
    this.pending.set(id, p);
    for (const t of this.tasks) {
      if (this.ended.has(t.key)) p.acks.set(t.key, this.finished.get(t.key)!);
      else if (t.isSource || this.finished.has(t.key)) this.later(() => t.task.triggerCheckpoint(id, Date.now()));
      if (t.isSource && !this.finished.has(t.key)) this.gate(t.key).add(id);
    }
    this.later(() => this.completeIfAcknowledged(p));
    return id;
  }

  /** Resolves when checkpoint `id` completed; rejects when it was declined or does not complete in time. */
  whenCompleted(id: number, timeoutMs = 10_000): Promise<CompletedCheckpoint> {
    const done = this.completed.find((c) => c.id === id);
    if (done) return Promise.resolve(done);
    const p = this.pending.get(id);
    if (!p) return Promise.reject(new Error(`checkpoint ${id} is not pending (declined: ${JSON.stringify(this.declines)})`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`checkpoint ${id} did not complete in ${timeoutMs} ms: ${this.describe(p)}`)), timeoutMs);
      p.waiters.push((c) => {
        clearTimeout(timer);
        if (c instanceof Error) reject(c);
        else resolve(c);
      });
    });
  }

  /** A failure: every task is canceled and the run's promise settles. */
  async cancelAll(): Promise<void> {
    for (const t of this.tasks) t.task.cancel();
    await this.runs?.catch(() => {});
  }

  /** For timeouts: who acknowledged, who finished, how far each task got. */
  private describe(p: Pending): string {
    const tasks = this.tasks.map((t) => `${t.key} ${t.task.recordsIn} in${this.finished.has(t.key) ? ', final sent' : ''}`);
    return `acks from [${[...p.acks.keys()].join(', ')}]; ${tasks.join('; ')}; declines ${JSON.stringify(this.declines)}`;
  }

  private portsOf(key: string, headId: string): TaskPorts {
    return {
      requestSplit: (operatorId, subtask) =>
        new Promise<SplitAssignment<unknown>>((resolve) =>
          this.later(() => resolve((this.gated.get(key)?.size ?? 0) > 0 ? { kind: 'none-yet' } : this.enumerators.get(operatorId)!.nextSplit(subtask))),
        ),
      acknowledgeCheckpoint: (checkpointId, snapshot, metrics) => {
        this.acks.push({ task: key, checkpointId, snapshot: structuredClone(snapshot), metrics });
        this.later(() => this.onAck(key, checkpointId, structuredClone(snapshot)));
      },
      declineCheckpoint: (checkpointId, reason) => {
        this.declines.push({ task: key, checkpointId, reason });
        this.later(() => this.onDecline(checkpointId, `${key} (${headId}) declined: ${reason}`));
      },
    };
  }

  private onAck(key: string, id: number, snapshot: TaskCheckpointSnapshot): void {
    if (id === FINAL_CHECKPOINT) {
      this.finished.set(key, snapshot);
      this.gated.delete(key);
      // Part of every checkpoint from now on: the pending ones it did not acknowledge are asked again.
      const t = this.tasks.find((x) => x.key === key)!;
      for (const p of this.pending.values()) if (!p.acks.has(key)) t.task.triggerCheckpoint(p.id, Date.now());
      if (this.options.finalCheckpoint !== false && this.finished.size === this.tasks.length && this.pending.size === 0) this.trigger();
      return;
    }
    this.gate(key).delete(id);
    if (snapshot.finished) this.finished.set(key, snapshot);
    const p = this.pending.get(id);
    if (!p) return;
    if (p.acks.has(key)) this.protocolErrors.push(`${key} acknowledged checkpoint ${id} twice`);
    p.acks.set(key, snapshot);
    this.completeIfAcknowledged(p);
  }

  private completeIfAcknowledged(p: Pending): void {
    if (p.acks.size < this.tasks.length || !this.pending.has(p.id)) return;
    const id = p.id;
    this.pending.delete(id);
    const c: CompletedCheckpoint = { id, enumerators: p.enumerators, tasks: p.acks };
    this.completed.push(c);
    for (const t of this.tasks) t.task.notifyCheckpointComplete(id);
    for (const w of p.waiters) w(c);
    // Older pending checkpoints are subsumed: a restore would never choose them.
    for (const older of this.pending.keys()) if (older < id) this.onDecline(older, `checkpoint ${older} was subsumed by ${id}`);
  }

  /** A task reported FINISHED: its final snapshot stands for it in the checkpoints it did not answer. */
  private onEnded(key: string): void {
    this.ended.add(key);
    const final = this.finished.get(key);
    if (final === undefined) return; // canceled
    for (const p of [...this.pending.values()]) {
      if (p.acks.has(key)) continue;
      p.acks.set(key, final);
      this.completeIfAcknowledged(p);
    }
  }

  private onDecline(id: number, reason: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    for (const g of this.gated.values()) g.delete(id);
    for (const t of this.tasks) t.task.notifyCheckpointAborted(id);
    for (const w of p.waiters) w(new Error(reason));
  }

  private gate(key: string): Set<number> {
    let g = this.gated.get(key);
    if (!g) this.gated.set(key, (g = new Set()));
    return g;
  }

  /** Messages cross threads and processes: never answer inside the caller's stack. */
  private later(f: () => void): void {
    setImmediate(f);
  }
}

/** Two network environments on 127.0.0.1 (the tasks of two TaskManagers), closed after `body`. */
export async function withEnvironments<T>(body: (envs: NetworkEnvironment[]) => Promise<T>): Promise<T> {
  const envs: NetworkEnvironment[] = [];
  try {
    for (let i = 0; i < 2; i++) envs.push(await NetworkEnvironment.start({ host: HOST, logger: silentLogger }));
    return await body(envs);
  } finally {
    await Promise.all(envs.map((e) => e.close()));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `cond()` holds; rejects after `timeoutMs`. */
export async function eventually(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Every line of the committed part files of a FileSink directory (hidden files are not committed). */
export function committedLines(dir: string): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/^part-\d+-\d+\.jsonl$/.test(name)) continue;
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line !== '') lines.push(line);
  }
  return lines;
}

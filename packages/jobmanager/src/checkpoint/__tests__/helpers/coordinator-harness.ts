/**
 * A CheckpointCoordinator on a real directory storage with a recording task gateway, a manual clock
 * and three tasks: two source subtasks (`src`) and one keyed subtask chained with a sink (`agg`, `sink`).
 */
import type { ExecutionContext } from 'ava';
import { silentLogger, type Logger } from '@eddy/common';
import { ManualTime } from '../../../__tests__/helpers/manual-time.js';
import { CheckpointCoordinator } from '../../checkpoint-coordinator.js';
import type { EnumeratorState, JsonValue, StateFileHandle, TaskAcknowledgement } from '../../checkpoint-metadata.js';
import { compileCheckpointOptions, type CheckpointCoordinatorOptions } from '../../checkpoint-options.js';
import type { CheckpointStorage } from '../../checkpoint-storage.js';
import type { CheckpointTask, CheckpointTaskGateway, CheckpointTaskSet, CheckpointTriggerOptions } from '../../checkpoint-task-gateway.js';
import { CompletedCheckpointStore } from '../../completed-checkpoint-store.js';
import { DirectoryCheckpointStorage } from '../../directory-checkpoint-storage.js';
import { tempDir } from './temp-dir.js';

export const TASKS: readonly CheckpointTask[] = [
  { taskKey: 'job1/src/0', attemptId: 'a-src-0', vertexId: 'src', subtaskIndex: 0, parallelism: 2, operatorIds: ['src'], isSource: true },
  { taskKey: 'job1/src/1', attemptId: 'a-src-1', vertexId: 'src', subtaskIndex: 1, parallelism: 2, operatorIds: ['src'], isSource: true },
  { taskKey: 'job1/agg/0', attemptId: 'a-agg-0', vertexId: 'agg', subtaskIndex: 0, parallelism: 1, operatorIds: ['agg', 'sink'], isSource: false },
];

export interface GatewayCall {
  readonly kind: 'trigger' | 'complete' | 'abort';
  readonly attemptId: string;
  readonly checkpointId: number;
  readonly timestamp?: number;
  readonly options?: CheckpointTriggerOptions;
  readonly reason?: string;
}

/** Records every call; `failTriggers` makes trigger calls fail like an unreachable TaskManager. */
export class TestingCheckpointGateway implements CheckpointTaskGateway {
  readonly calls: GatewayCall[] = [];
  failTriggers = false;
  /** Runs at each completion notice, e.g. to look at storage when a task would. */
  onComplete: ((checkpointId: number) => Promise<void>) | undefined;
  async triggerCheckpoint(task: { attemptId: string }, checkpointId: number, timestamp: number, options: CheckpointTriggerOptions): Promise<void> {
    this.calls.push({ kind: 'trigger', attemptId: task.attemptId, checkpointId, timestamp, options });
    if (this.failTriggers) throw new Error('connection refused');
  }
  async notifyCheckpointComplete(task: { attemptId: string }, checkpointId: number): Promise<void> {
    this.calls.push({ kind: 'complete', attemptId: task.attemptId, checkpointId });
    await this.onComplete?.(checkpointId);
  }
  async notifyCheckpointAborted(task: { attemptId: string }, checkpointId: number, reason: string): Promise<void> {
    this.calls.push({ kind: 'abort', attemptId: task.attemptId, checkpointId, reason });
  }
  of(kind: GatewayCall['kind'], checkpointId?: number): GatewayCall[] {
    return this.calls.filter((c) => c.kind === kind && (checkpointId === undefined || c.checkpointId === checkpointId));
  }
}

export interface Harness {
  readonly coordinator: CheckpointCoordinator;
  readonly storage: CheckpointStorage;
  readonly store: CompletedCheckpointStore;
  readonly gateway: TestingCheckpointGateway;
  readonly time: ManualTime;
  /** What `tasks()` answers; tests may replace it. */
  taskSet: CheckpointTaskSet;
  /** What the enumerators answer, or throw. */
  enumerators: () => readonly EnumeratorState[];
}

export interface HarnessOptions {
  readonly logger?: Logger;
  readonly dir?: string;
  /** Replaces the storage the coordinator and the store see, e.g. by one that delays some calls. */
  readonly wrapStorage?: (storage: CheckpointStorage) => CheckpointStorage;
}

export async function harness(t: ExecutionContext, options: CheckpointCoordinatorOptions = {}, o: HarnessOptions = {}): Promise<Harness> {
  const direct = DirectoryCheckpointStorage.forJob(o.dir ?? (await tempDir(t)), 'job1');
  const storage = o.wrapStorage ? o.wrapStorage(direct) : direct;
  const compiled = compileCheckpointOptions(options);
  const store = new CompletedCheckpointStore({ storage, retained: compiled.retained, logger: silentLogger });
  await store.load();
  const gateway = new TestingCheckpointGateway();
  const time = new ManualTime(10_000);
  const h: Harness = {
    storage,
    store,
    gateway,
    time,
    taskSet: { kind: 'ready', tasks: TASKS },
    enumerators: () => [{ operatorId: 'src', state: { unassigned: ['split-9'] } }],
    coordinator: undefined as unknown as CheckpointCoordinator,
  };
  const coordinator = new CheckpointCoordinator({
    jobId: 'job1',
    options: compiled,
    storage,
    store,
    gateway,
    tasks: () => h.taskSet,
    snapshotEnumerators: () => h.enumerators(),
    clock: time.clock,
    timers: time.timers,
    logger: o.logger ?? silentLogger,
  });
  (h as { coordinator: CheckpointCoordinator }).coordinator = coordinator;
  t.teardown(() => coordinator.stop());
  return h;
}

/** Polls (with real time) until `cond` holds: storage work runs on the thread pool. */
export async function eventually(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until checkpoint `id` has been triggered at both sources. */
export async function triggered(h: Harness, id: number): Promise<void> {
  await eventually(() => h.gateway.of('trigger', id).length === 2, `trigger of checkpoint ${id}`);
}

/** Writes `files` (name → contents) and returns their handles. */
export async function writeFiles(storage: CheckpointStorage, files: Record<string, string>): Promise<StateFileHandle[]> {
  const handles: StateFileHandle[] = [];
  for (const [name, content] of Object.entries(files)) {
    const bytes = new TextEncoder().encode(content);
    await storage.put(name, bytes);
    handles.push({ name, sizeBytes: bytes.length });
  }
  return handles;
}

export function sourceAck(subtask: number, offset: number): TaskAcknowledgement {
  return { operators: [{ operatorId: 'src', operator: { split: `split-${subtask}`, offset } }], syncDurationMs: 1, asyncDurationMs: 0 };
}

export function aggAck(files: readonly StateFileHandle[], committables?: JsonValue, alignmentMs = 12): TaskAcknowledgement {
  return {
    operators: [
      { operatorId: 'agg', keyed: { keyGroups: { start: 0, end: 127 }, files } },
      ...(committables === undefined ? [] : [{ operatorId: 'sink', committables }]),
    ],
    alignmentMs,
    syncDurationMs: 2,
    asyncDurationMs: 30,
  };
}

/** Acknowledges checkpoint `id` from every task; the keyed task names `files`. */
export function ackAll(h: Harness, id: number, files: readonly StateFileHandle[], committables?: JsonValue): string[] {
  return [
    h.coordinator.acknowledge('a-src-0', id, sourceAck(0, 100 * id)),
    h.coordinator.acknowledge('a-src-1', id, sourceAck(1, 100 * id + 1)),
    h.coordinator.acknowledge('a-agg-0', id, aggAck(files, committables)),
  ];
}

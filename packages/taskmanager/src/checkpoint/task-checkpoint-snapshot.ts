/**
 * What one subtask acknowledges for a checkpoint, and what it is given back on restore: plain JSON
 * (it travels to the JobManager in the acknowledgement and back in the deployment descriptor),
 * versioned, and checked on restore because it comes from another process.
 *
 * - `keyed`: the handles of the keyed state backend's snapshot (files under the checkpoint's
 *   directory, and shared LevelDB files);
 * - `timers`: the timer services' snapshot by operator id; absent until timers can snapshot;
 * - `operators`: operator state by operator id: the source reader's unfinished splits with their
 *   positions, a two-phase-commit sink's committables not committed yet and its writer state;
 * - `finished`: taken after the task's input ended (its final snapshot): the state is final, there is
 *   no keyed state to keep (no record will reach the task again), and a restored task only commits
 *   the sink's committables and ends.
 */
import type { KeyedStateHandle } from '../state/snapshot/keyed-state-handle.js';
import { TaskRestoreError } from './checkpoint-errors.js';

export interface SinkOperatorSnapshot {
  /** Every committable prepared and not committed yet when the snapshot was taken, oldest first. */
  committables: unknown[];
  /** What the writer's snapshotState() returned. */
  writerState: unknown[];
}

export interface OperatorSnapshot {
  sourceSplits?: unknown[];
  sink?: SinkOperatorSnapshot;
}

export interface TaskCheckpointSnapshot {
  version: 1;
  keyed?: KeyedStateHandle[];
  timers?: unknown;
  operators: Record<string, OperatorSnapshot>;
  finished?: boolean;
}

/** Numbers of one acknowledgement, for the checkpoint's statistics. */
export interface CheckpointMetrics {
  /** From the first barrier of the checkpoint to the last (0 for sources and final snapshots). */
  alignmentMs: number;
  /** The synchronous part: sink prepareCommit and the keyed backend's consistent view. */
  syncMs: number;
  /** The asynchronous part: writing the keyed state files. */
  asyncMs: number;
  /** Bytes of every file the keyed snapshot needs (what a restore reads). */
  bytesFull: number;
  /** Bytes this checkpoint wrote (incremental LevelDB snapshots reuse earlier files). */
  bytesIncremental: number;
}

/**
 * The checkpoint id of the acknowledgement a task sends when its input ended (its final snapshot,
 * `finished: true`), before any checkpoint asked for it. Real checkpoint ids are >= 0.
 */
export const FINAL_CHECKPOINT = -1;

export const TASK_SNAPSHOT_VERSION = 1;

const KEYED_KINDS = new Set(['key-groups', 'leveldb-files']);

/**
 * `v` as a task snapshot, or a TaskRestoreError saying what is wrong with it. Checks the shape; the
 * keyed handles' files are checked by the backend's restore, splits by the reader, committables by
 * the sink.
 */
export function checkTaskCheckpointSnapshot(v: unknown, task: string): TaskCheckpointSnapshot {
  const fail = (why: string): never => {
    throw new TaskRestoreError(task, why);
  };
  if (!isObject(v)) fail('the snapshot is not an object');
  const s = v as Partial<TaskCheckpointSnapshot>;
  if (s.version !== TASK_SNAPSHOT_VERSION) fail(`the snapshot has version ${JSON.stringify(s.version)}; this TaskManager reads version ${TASK_SNAPSHOT_VERSION}`);
  if (s.keyed !== undefined) {
    if (!Array.isArray(s.keyed)) fail('keyed is not an array of state handles');
    for (const h of s.keyed!) if (!isObject(h) || !KEYED_KINDS.has((h as { kind?: string }).kind ?? '')) fail(`keyed holds ${JSON.stringify(h)}, which is not a keyed state handle`);
  }
  if (s.finished !== undefined && typeof s.finished !== 'boolean') fail('finished is not a boolean');
  if (!isObject(s.operators)) fail('operators is not an object');
  for (const [id, op] of Object.entries(s.operators!)) {
    if (!isObject(op)) fail(`the state of operator ${id} is not an object`);
    const o = op as OperatorSnapshot;
    if (o.sourceSplits !== undefined && !Array.isArray(o.sourceSplits)) fail(`sourceSplits of operator ${id} is not an array`);
    if (o.sink !== undefined && (!isObject(o.sink) || !Array.isArray(o.sink.committables) || !Array.isArray(o.sink.writerState))) {
      fail(`sink of operator ${id} is not { committables: [], writerState: [] }`);
    }
  }
  return s as TaskCheckpointSnapshot;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

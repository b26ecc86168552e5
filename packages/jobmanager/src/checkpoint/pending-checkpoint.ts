/**
 * PendingCheckpoint: one triggered checkpoint waiting for its tasks' acknowledgements (Flink's
 * PendingCheckpoint). It records facts — who acknowledged what — and builds the CompletedCheckpoint
 * once all have; timing, storage and notifications are the coordinator's.
 *
 * Lifecycle (an illegal transition throws): PENDING → COMPLETED once `_metadata` is published;
 * PENDING → FAILED when declined, timed out or broken; PENDING → ABORTED when subsumed by a newer
 * completed checkpoint or when the coordinator stops. `result` settles exactly once, with the
 * transition out of PENDING.
 */
import { checkTransition } from '@eddy/common';
import { CheckpointFailedError, InvalidStateHandleError, type CheckpointFailureReason } from '../errors.js';
import type { TimerHandle } from '../timers.js';
import { fileOwner } from './checkpoint-file-names.js';
import { jsonBytes, type CompletedCheckpoint, type EnumeratorState, type OperatorState, type StateFileHandle, type SubtaskState, type TaskAcknowledgement } from './checkpoint-metadata.js';
import type { CheckpointMode } from './checkpoint-options.js';
import type { CheckpointTask } from './checkpoint-task-gateway.js';

export type CheckpointStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'ABORTED';
export const CHECKPOINT_TRANSITIONS: Record<CheckpointStatus, readonly CheckpointStatus[]> = {
  PENDING: ['COMPLETED', 'FAILED', 'ABORTED'],
  COMPLETED: [],
  FAILED: [],
  ABORTED: [],
};

export type AcknowledgeResult = 'accepted' | 'duplicate' | 'unknown-task';

export class PendingCheckpoint {
  /** The source enumerators' state, taken just before the sources were triggered. */
  enumerators: readonly EnumeratorState[] = [];
  /** Every task acknowledged and `_metadata` is being written; the checkpoint can still fail. */
  finalizing = false;
  timeout: TimerHandle | undefined;
  /** Resolves with the completed checkpoint, rejects with a CheckpointFailedError. Never unhandled. */
  readonly result: Promise<CompletedCheckpoint>;
  private state: CheckpointStatus = 'PENDING';
  private readonly byAttempt: ReadonlyMap<string, CheckpointTask>;
  private readonly acks = new Map<string, TaskAcknowledgement>();
  private settle!: { resolve: (cp: CompletedCheckpoint) => void; reject: (e: CheckpointFailedError) => void };

  constructor(
    readonly checkpointId: number,
    readonly triggerTime: number,
    readonly tasks: readonly CheckpointTask[],
  ) {
    this.byAttempt = new Map(tasks.map((t) => [t.attemptId, t]));
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => {});
  }

  get status(): CheckpointStatus {
    return this.state;
  }
  get acknowledgedCount(): number {
    return this.acks.size;
  }
  get fullyAcknowledged(): boolean {
    return this.acks.size === this.byAttempt.size;
  }

  task(attemptId: string): CheckpointTask | undefined {
    return this.byAttempt.get(attemptId);
  }

  isAcknowledgedBy(attemptId: string): boolean {
    return this.acks.has(attemptId);
  }

  /** Records a (validated) acknowledgement of `attemptId`. */
  acknowledge(attemptId: string, ack: TaskAcknowledgement): AcknowledgeResult {
    if (!this.byAttempt.has(attemptId)) return 'unknown-task';
    if (this.acks.has(attemptId)) return 'duplicate';
    this.acks.set(attemptId, ack);
    return 'accepted';
  }

  /** Every file named by the acknowledgements so far. */
  files(): StateFileHandle[] {
    return [...this.acks.values()].flatMap(filesOf);
  }

  complete(cp: CompletedCheckpoint): void {
    this.moveTo('COMPLETED');
    this.settle.resolve(cp);
  }

  fail(status: 'FAILED' | 'ABORTED', reason: CheckpointFailureReason, detail: string): CheckpointFailedError {
    this.moveTo(status);
    const error = new CheckpointFailedError(this.checkpointId, reason, detail);
    this.settle.reject(error);
    return error;
  }

  /**
   * The completed checkpoint, from every acknowledgement. `isNewShared(name)` says whether a shared
   * file was first brought in by this checkpoint (for the incremental size). Throws
   * InvalidStateHandleError when two tasks name one file with different sizes.
   */
  toCompleted(c: { jobId: string; mode: CheckpointMode; completionTime: number; isNewShared: (name: string) => boolean }): CompletedCheckpoint {
    const operators = new Map<string, { vertexId: string; parallelism: number; subtasks: SubtaskState[] }>();
    const files = new Map<string, StateFileHandle>();
    let inlineBytes = this.enumerators.reduce((n, e) => n + jsonBytes(e.state), 0);
    const tasks = [...this.acks].map(([attemptId, ack]) => ({ task: this.byAttempt.get(attemptId)!, ack }));
    tasks.sort((a, b) => (a.task.vertexId < b.task.vertexId ? -1 : a.task.vertexId > b.task.vertexId ? 1 : a.task.subtaskIndex - b.task.subtaskIndex));
    for (const { task, ack } of tasks) {
      for (const { operatorId, ...state } of ack.operators) {
        let op = operators.get(operatorId);
        if (!op) operators.set(operatorId, (op = { vertexId: task.vertexId, parallelism: task.parallelism, subtasks: [] }));
        op.subtasks.push({ subtask: task.subtaskIndex, ...state });
        inlineBytes += jsonBytes(state.operator) + jsonBytes(state.committables);
      }
      for (const f of filesOf(ack)) {
        const known = files.get(f.name);
        if (known && (known.sizeBytes !== f.sizeBytes || known.sha256 !== f.sha256)) {
          throw new InvalidStateHandleError(`file '${f.name}'`, `is named by two tasks with different sizes or checksums`);
        }
        files.set(f.name, f);
      }
    }
    const sorted = [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const fileBytes = sorted.reduce((n, f) => n + f.sizeBytes, 0);
    const newBytes = sorted.filter((f) => fileOwner(f.name)?.kind === 'checkpoint' || c.isNewShared(f.name)).reduce((n, f) => n + f.sizeBytes, 0);
    const taskStats = tasks.map(({ task, ack }) => ({
      vertexId: task.vertexId,
      subtask: task.subtaskIndex,
      alignmentMs: ack.alignmentMs ?? 0,
      syncDurationMs: ack.syncDurationMs ?? 0,
      asyncDurationMs: ack.asyncDurationMs ?? 0,
    }));
    return {
      jobId: c.jobId,
      checkpointId: this.checkpointId,
      mode: c.mode,
      triggerTime: this.triggerTime,
      completionTime: c.completionTime,
      enumerators: this.enumerators,
      operators: [...operators].map(([operatorId, op]): OperatorState => ({ operatorId, ...op })),
      tasks: taskStats,
      sizes: { fullBytes: fileBytes + inlineBytes, incrementalBytes: newBytes + inlineBytes },
      alignmentMs: taskStats.reduce((m, t) => Math.max(m, t.alignmentMs), 0),
      files: sorted,
    };
  }

  private moveTo(to: CheckpointStatus): void {
    checkTransition(CHECKPOINT_TRANSITIONS, `checkpoint ${this.checkpointId}`, this.state, to);
    this.state = to;
    this.timeout?.cancel();
    this.timeout = undefined;
  }
}

function filesOf(ack: TaskAcknowledgement): StateFileHandle[] {
  return ack.operators.flatMap((o) => o.keyed?.files ?? []);
}

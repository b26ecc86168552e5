/**
 * The two-phase-commit bookkeeping of one sink operator of a task: the committables prepared at each
 * checkpoint and not committed yet.
 *
 * Invariants: committables are kept by the checkpoint they were prepared at, oldest first; a
 * snapshot holds every committable not committed yet, not only those of its own checkpoint — the
 * committables of an aborted or still pending earlier checkpoint are committed with the next
 * checkpoint that completes, so a restore from that checkpoint must know them too (else the
 * restored writer would abort them as leftovers). Completion of checkpoint n commits everything
 * prepared at checkpoints <= n, in order, once. The committables of the end of input (END_OF_INPUT)
 * sort after every checkpoint and are committed only by commitAll(), when a checkpoint holding the
 * task's final snapshot completes. Runs on the task thread, in the task's mails and at its barriers,
 * which never overlap.
 */
import type { SinkOperator } from '../operators/sink-operator.js';
import type { SinkOperatorSnapshot } from './task-checkpoint-snapshot.js';

interface Prepared {
  readonly checkpointId: number;
  readonly committables: readonly unknown[];
}

export class SinkTransactions {
  private pending: Prepared[] = [];

  constructor(readonly sink: SinkOperator) {}

  get operatorId(): string {
    return this.sink.id;
  }

  /**
   * Phase one at checkpoint `checkpointId`: flush (unless the end of input already flushed with
   * endOfInput = true), prepareCommit, snapshotState; returns the sink's part of the task snapshot.
   */
  async prepare(checkpointId: number, flushFirst: boolean): Promise<SinkOperatorSnapshot> {
    if (flushFirst) await this.sink.flush(false);
    const committables = await this.sink.prepareCommit(checkpointId);
    if (committables.length > 0) this.pending.push({ checkpointId, committables });
    return { committables: this.pendingCommittables(), writerState: this.sink.snapshotWriterState(checkpointId) };
  }

  /** Every committable prepared and not committed, oldest first. */
  pendingCommittables(): unknown[] {
    return this.pending.flatMap((p) => p.committables);
  }

  /** Checkpoint `checkpointId` completed: commit what was prepared at it and before. */
  async commitUpTo(checkpointId: number): Promise<void> {
    const due = this.pending.filter((p) => p.checkpointId <= checkpointId);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.checkpointId > checkpointId);
    await this.sink.commit(due.flatMap((p) => p.committables));
  }

  /** A checkpoint holding the task's final snapshot completed: commit everything left. */
  async commitAll(): Promise<void> {
    const due = this.pending;
    this.pending = [];
    await this.sink.commit(due.flatMap((p) => p.committables));
  }
}

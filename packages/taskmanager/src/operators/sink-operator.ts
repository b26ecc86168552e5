/**
 * The end of a chain: hands records to the user's SinkWriter. With checkpointing, a sink that has a
 * committer writes through two-phase commit: the task's checkpointer calls prepareCommit(),
 * snapshotWriterState() and commit() at its checkpoints (checkpoint/sink-transactions.ts).
 */
import type { Committer, Sink, SinkContext, SinkWriter, SinkWriterRecoveredState } from '@eddy/common';
import { UserFunctionOperator } from './stateless-operators.js';
import type { OperatorContext } from './stream-operator.js';

const NOWHERE = { collect() {}, collectSide() {}, emitWatermark() {} };

export class SinkOperator extends UserFunctionOperator {
  private writer: SinkWriter<unknown> | undefined;
  private committer: Committer<unknown> | undefined;
  constructor(id: string, name: string, private readonly sink: Sink<unknown>) {
    super(id, name, NOWHERE);
  }

  /** True once initializeState() found a two-phase-commit sink in a job that checkpoints. */
  get twoPhase(): boolean {
    return this.committer !== undefined;
  }

  /**
   * Checkpointing only, before open(): creates the committer of a two-phase-commit sink, commits the
   * restored checkpoint's committables again (commit is idempotent) and creates the writer that goes
   * on after them — or a fresh writer when there is nothing to restore. Without checkpointing open()
   * creates the writer as it always did.
   */
  async initializeState(ctx: SinkContext, restored: SinkWriterRecoveredState | undefined): Promise<void> {
    const sink = this.sink;
    try {
      if (ctx.checkpointing === true && typeof sink.createCommitter === 'function' && typeof sink.restoreWriter === 'function') {
        this.committer = sink.createCommitter(ctx);
      }
      if (restored !== undefined && this.committer !== undefined) {
        await this.committer.commit(restored.committables);
        this.writer = sink.restoreWriter!(ctx, restored);
      } else {
        this.writer = sink.createWriter(ctx);
      }
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  override open(ctx: OperatorContext): void {
    if (this.writer !== undefined) return;
    try {
      this.writer = this.sink.createWriter({ subtaskIndex: ctx.runtime.subtaskIndex, parallelism: ctx.runtime.parallelism, jobId: ctx.runtime.jobId });
    } catch (e) {
      this.guard.wrap(e);
    }
  }
  processElement(value: unknown, timestamp: number): void {
    try {
      this.writer!.write(value);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
    }
  }
  override processWatermark(): void {}
  override async flush(endOfInput: boolean): Promise<void> {
    const w = this.writer;
    try {
      if (w?.flush) await w.flush(endOfInput);
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  /** Two-phase commit, phase one, at checkpoint `checkpointId` (after flush). */
  async prepareCommit(checkpointId: number): Promise<unknown[]> {
    try {
      const c = await this.writer?.prepareCommit?.(checkpointId);
      return c === undefined ? [] : [...c];
    } catch (e) {
      return this.guard.wrap(e);
    }
  }

  snapshotWriterState(checkpointId: number): unknown[] {
    try {
      const s = this.writer?.snapshotState?.(checkpointId);
      return s === undefined ? [] : [...s];
    } catch (e) {
      return this.guard.wrap(e);
    }
  }

  /** Two-phase commit, phase two. */
  async commit(committables: readonly unknown[]): Promise<void> {
    if (this.committer === undefined || committables.length === 0) return;
    try {
      await this.committer.commit(committables);
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  override async close(): Promise<void> {
    const w = this.writer;
    const c = this.committer;
    this.writer = undefined;
    this.committer = undefined;
    try {
      if (w?.close) await w.close();
      if (c?.close) await c.close();
    } catch (e) {
      this.guard.wrap(e);
    }
  }
}

/**
 * The Source and Sink contracts (as Flink's FLIP-27 and FLIP-143): a source is split between an
 * enumerator that runs in the JobManager and hands out splits, and readers that run in tasks and turn
 * splits into records. Splits must be plain JSON values: they travel over RPC and into checkpoints.
 *
 * Checkpoints (docs/decisions/0001-checkpoints.md). A source takes part when it implements
 * `Source.restoreEnumerator`, its enumerators `snapshotState` and `addSplitsBack`, and its readers
 * `snapshotState`; a job that enables checkpointing with a source lacking `restoreEnumerator` is
 * rejected at submission (validatePlanCheckpointing). At checkpoint n the coordinator takes the
 * enumerator's state, and each reader, between two polls, gives its unfinished splits with their
 * positions just before its barrier n. On restore every enumerator is rebuilt from its state and
 * every reader gets its splits back through addSplit().
 *
 * A sink takes part through two-phase commit: see {@link Sink} for the whole lifecycle.
 */
export type Boundedness = 'bounded' | 'unbounded';

export interface SplitEnumeratorContext {
  /** Parallelism of the source operator. */
  readonly parallelism: number;
}

export type SplitAssignment<Split> =
  | { readonly kind: 'split'; readonly split: Split }
  | { readonly kind: 'none-yet' } // ask again later
  | { readonly kind: 'no-more' }; // this reader is done

export interface SplitEnumerator<Split, EnumState = unknown> {
  /** Called when reader `subtask` has no split to read. */
  nextSplit(subtask: number): SplitAssignment<Split>;
  /**
   * Checkpoints: the splits not handed out yet (and whatever else the enumerator needs to go on), as
   * plain JSON, taken when the coordinator triggers checkpoint `checkpointId`. Between that trigger
   * and a reader's barrier the runtime answers the reader `none-yet`, so no split is ever both in
   * this state and in a reader's snapshot. Must not change what nextSplit() answers next.
   */
  snapshotState?(checkpointId: number): EnumState;
  /**
   * Checkpoints: splits that reader `subtask` was assigned after the last completed checkpoint, given
   * back because that reader failed and is restored without them (its snapshot predates them). They
   * are handed out again, positions kept; an enumerator whose splits belong to one subtask (stride
   * splits) gives them to that subtask again, others to the next reader that asks.
   */
  addSplitsBack?(splits: readonly Split[], subtask: number): void;
  close?(): void;
}

export interface SourceReaderContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
}

/** Where a reader puts records; synchronous, called many times per poll. */
export interface SourceOutput<T> {
  /** `timestamp`: the record's event time when the source knows it (e.g. a Kafka record timestamp). */
  collect(record: T, timestamp?: number): void;
  /**
   * Present when the source operator routes bad input to dead letters (withDeadLetters()): a reader
   * that cannot deserialize `raw` hands it here with the error instead of throwing.
   */
  deadLetter?(raw: unknown, error: Error): void;
}

/**
 * - `more`: call pollNext again soon;
 * - `needs-split`: every assigned split is finished; the runtime asks the enumerator for another;
 * - `nothing-available`: await `available()` (or a short pause) before polling again.
 */
export type ReaderStatus = 'more' | 'needs-split' | 'nothing-available';

export interface SourceReader<T, Split> {
  /** Adds a split to read; several may be added (one after the other, or from a snapshot on restore). */
  addSplit(split: Split): void;
  /** Emits at most `maxRecords` records synchronously. Never awaits per record. */
  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus;
  available?(): Promise<void>;
  /**
   * Checkpoints: the reader's unfinished splits with their current positions (plain JSON), taken
   * between two polls just before the source emits barrier `checkpointId`. A new reader given these
   * splits with addSplit(), in this order, continues exactly after the last record emitted before
   * the call: none again, none skipped (input handed to dead letters counts as emitted). Finished
   * splits are left out. Must not change what the reader emits next.
   */
  snapshotState?(checkpointId: number): Split[];
  close?(): void;
}

export interface Source<T, Split = unknown, EnumState = unknown> {
  readonly boundedness: Boundedness;
  createEnumerator(ctx: SplitEnumeratorContext): SplitEnumerator<Split, EnumState>;
  /**
   * Checkpoints: an enumerator that goes on from `state` (what snapshotState() returned, after a JSON
   * round trip), possibly at another parallelism. Its absence says that the source cannot take part
   * in checkpoints: a job that enables checkpointing with it is rejected at submission.
   */
  restoreEnumerator?(ctx: SplitEnumeratorContext, state: EnumState): SplitEnumerator<Split, EnumState>;
  createReader(ctx: SourceReaderContext): SourceReader<T, Split>;
  /** One line for humans: where the records come from. */
  describe?(): string;
}

export interface SinkContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly jobId: string;
  /**
   * True when the job runs with checkpoints: a two-phase-commit sink then writes transactionally
   * (nothing visible before its commit). False or absent: there is no checkpoint to commit at, and a
   * sink writes straight to its output. @default false
   */
  readonly checkpointing?: boolean;
}

/**
 * The checkpoint id of the last prepareCommit() of a bounded input, called after flush(true) (the
 * largest safe integer, so it sorts after every real checkpoint).
 */
export const END_OF_INPUT = Number.MAX_SAFE_INTEGER;

export interface SinkWriter<T, Committable = unknown, WriterState = unknown> {
  /** Synchronous: called once per record on the hot path. */
  write(record: T): void;
  /** Called between input batches and at end of input; may be async. */
  flush?(endOfInput: boolean): void | Promise<void>;
  /**
   * Two-phase commit, phase one: makes everything written since the previous call durable but not
   * visible, and describes it as committables (plain JSON) that go into the checkpoint. Called at
   * barrier `checkpointId` after flush(false), and once at the end of a bounded input after
   * flush(true) with END_OF_INPUT. Records written afterwards belong to the next transaction.
   * Returns [] when there is nothing to commit (nothing written, or a writer that writes straight
   * through because checkpointing is off).
   */
  prepareCommit?(checkpointId: number): Committable[] | Promise<Committable[]>;
  /**
   * Checkpoints: the writer's own state besides its committables (plain JSON), taken right after
   * prepareCommit(checkpointId) and handed back to Sink.restoreWriter(). Writers that need none
   * leave it out.
   */
  snapshotState?(checkpointId: number): WriterState[];
  /**
   * Called when the task ends, normally or canceled. Uncommitted data stays invisible; what close()
   * leaves behind is aborted by the next writer of the subtask.
   */
  close?(): void | Promise<void>;
}

/** Two-phase commit, phase two (one committer per sink subtask). */
export interface Committer<Committable> {
  /**
   * Makes the committables' data visible, atomically per committable. Called when the checkpoint that
   * holds them completes, and again on restore with the committables of the restored checkpoint, so
   * it must be idempotent: a committable that is already committed succeeds without effect. A
   * committable that is neither pending nor committed (its data was lost) fails with an error that
   * says which.
   */
  commit(committables: readonly Committable[]): Promise<void>;
  close?(): void | Promise<void>;
}

/** What a writer restored from checkpoint `checkpointId` is given. */
export interface SinkWriterRecoveredState<Committable = unknown, WriterState = unknown> {
  readonly checkpointId: number;
  /**
   * The committables of this sink in the restored checkpoint (of every subtask: after rescaling a
   * subtask may take over others'). The committer commits them; the writer must not abort them.
   */
  readonly committables: readonly Committable[];
  /** What snapshotState() returned at that checkpoint, for the subtasks this writer takes over. */
  readonly writerState: readonly WriterState[];
}

/**
 * A sink. Writers write synchronously on the hot path; a sink that also implements createCommitter()
 * and restoreWriter() (they come together) writes exactly once through two-phase commit when the job
 * runs with checkpoints (SinkContext.checkpointing):
 *
 * 1. createWriter(), or restoreWriter() on restore; write() per record, flush(false) between batches.
 * 2. At barrier n: flush(false), prepareCommit(n), snapshotState(n); the committables and the writer
 *    state go into the task's acknowledgement of checkpoint n.
 * 3. When checkpoint n completes, the committer commits the committables of n and of every earlier
 *    checkpoint not committed yet (a completed checkpoint subsumes those whose notice was lost).
 * 4. End of a bounded input: flush(true), then prepareCommit(END_OF_INPUT). With checkpointing, the
 *    task does not finish before the checkpoint after its end of input (Flink's final checkpoint)
 *    holds those committables and completes; they are committed then. Without checkpointing they
 *    are committed at once, before the task finishes.
 * 5. A failure calls nothing more: the job is restored from its latest completed checkpoint c. The
 *    committer commits c's committables again (idempotent), and restoreWriter() aborts everything
 *    of earlier writers of its subtask that is not in c: in-progress data and the prepared
 *    transactions of checkpoints that never completed. Without a checkpoint to restore,
 *    createWriter() aborts the same leftovers.
 *
 * A sink without a committer writes straight through: after a restore it may repeat records (at
 * least once).
 */
export interface Sink<T, Committable = unknown, WriterState = unknown> {
  createWriter(ctx: SinkContext): SinkWriter<T, Committable, WriterState>;
  /** Two-phase commit: the committer of subtask ctx.subtaskIndex. */
  createCommitter?(ctx: SinkContext): Committer<Committable>;
  /** Two-phase commit: a writer that continues after the restored checkpoint (see step 5). */
  restoreWriter?(ctx: SinkContext, recovered: SinkWriterRecoveredState<Committable, WriterState>): SinkWriter<T, Committable, WriterState>;
  /**
   * Checked when the job is submitted, by the client and by the JobManager: throws an Error saying
   * exactly why the sink cannot run (e.g. a FileSink directory that holds other output).
   */
  validate?(): void;
  /** One line for humans: where the records go. */
  describe?(): string;
}

/**
 * The Source and Sink contracts (as Flink's FLIP-27 and FLIP-143): a source is split between an
 * enumerator that runs in the JobManager and hands out splits, and readers that run in tasks and turn
 * splits into records. Splits must be plain JSON values: they travel over RPC and, later, into checkpoints.
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

export interface SplitEnumerator<Split> {
  /** Called when reader `subtask` has no split to read. */
  nextSplit(subtask: number): SplitAssignment<Split>;
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
  addSplit(split: Split): void;
  /** Emits at most `maxRecords` records synchronously. Never awaits per record. */
  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus;
  available?(): Promise<void>;
  close?(): void;
}

export interface Source<T, Split = unknown> {
  readonly boundedness: Boundedness;
  createEnumerator(ctx: SplitEnumeratorContext): SplitEnumerator<Split>;
  createReader(ctx: SourceReaderContext): SourceReader<T, Split>;
  /** One line for humans: where the records come from. */
  describe?(): string;
}

export interface SinkContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly jobId: string;
}

export interface SinkWriter<T> {
  /** Synchronous: called once per record on the hot path. */
  write(record: T): void;
  /** Called between input batches and at end of input; may be async. */
  flush?(endOfInput: boolean): void | Promise<void>;
  close?(): void | Promise<void>;
}

export interface Sink<T> {
  createWriter(ctx: SinkContext): SinkWriter<T>;
  /**
   * Checked when the job is submitted, by the client and by the JobManager: throws an Error saying
   * exactly why the sink cannot run (e.g. a FileSink directory that holds other output).
   */
  validate?(): void;
  /** One line for humans: where the records go. */
  describe?(): string;
}

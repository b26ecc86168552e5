/**
 * The job-module contract between the SDK (which builds a plan from the user's code) and the runtime
 * (JobManager and TaskManagers, which rebuild the same plan from the same artifact and pick operators
 * by id). Functions are never serialized: every process re-creates them by running the job function.
 */
import { ValidationError } from './errors.js';
import type { CheckpointConfig } from './checkpoint-config.js';
import type { Sink, Source } from './connector-api.js';
import type { RestartStrategyConfig } from './restart-strategy.js';
import type { KeyedStateStore } from './state-api.js';
import type { WatermarkStrategySpec } from './watermark-api.js';
import type { WindowOperatorSpec } from './window-api.js';

export type PartitionerName = 'forward' | 'rebalance' | 'hash' | 'broadcast' | 'rescale';
export const PARTITIONERS: readonly PartitionerName[] = ['forward', 'rebalance', 'hash', 'broadcast', 'rescale'];

export interface Collector<T> {
  collect(value: T): void;
}

/** A named side output; `T` is the type of what goes to it. */
export interface OutputTagLike<T> {
  readonly id: string;
  /** @internal keeps T */
  readonly _type?: T;
}

/** Timers of the current key (keyed streams only). */
export interface TimerService {
  currentWatermark(): number;
  currentProcessingTime(): number;
  registerEventTimeTimer(timestamp: number): void;
  deleteEventTimeTimer(timestamp: number): void;
  registerProcessingTimeTimer(timestamp: number): void;
  deleteProcessingTimeTimer(timestamp: number): void;
}

/** What a process function sees besides the record. */
export interface ProcessContext<K = unknown> {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** The key of the current record on a keyed stream; an error elsewhere. */
  getCurrentKey(): K;
  /** Event time of the current record (undefined when it has none). */
  timestamp(): number | undefined;
  /** Timers of the current key; an error on non-keyed streams. */
  timerService(): TimerService;
  /** Emits to a side output. */
  output<T>(tag: OutputTagLike<T>, value: T): void;
}

export interface OnTimerContext<K = unknown> extends ProcessContext<K> {
  readonly timeDomain: 'event-time' | 'processing-time';
}

/** Keyed state is available on keyed streams only (an error elsewhere). */
export interface RuntimeContext extends KeyedStateStore {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly jobId: string;
  readonly operatorId: string;
}

export interface ProcessFunction<I, O, K = unknown> {
  open?(ctx: RuntimeContext): void;
  processElement(value: I, ctx: ProcessContext<K>, out: Collector<O>): void;
  /** A timer registered through ctx.timerService() fired (keyed streams). */
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
  /** Called at end of input (bounded streams) before the task finishes. */
  finish?(out: Collector<O>): void;
  close?(): void;
}

/** Two inputs, one function (connect). On keyed streams both inputs share the key's state and timers. */
export interface CoProcessFunction<I1, I2, O, K = unknown> {
  open?(ctx: RuntimeContext): void;
  processElement1(value: I1, ctx: ProcessContext<K>, out: Collector<O>): void;
  processElement2(value: I2, ctx: ProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
  close?(): void;
}

/** Called for each pair of an interval join. */
export interface ProcessJoinFunction<L, R, O> {
  processElement(left: L, right: R, ctx: { leftTimestamp: number; rightTimestamp: number; timestamp: number }, out: Collector<O>): void;
}

export type OperatorSpec =
  | { readonly kind: 'source'; readonly source: Source<unknown, unknown>; readonly watermarks?: WatermarkStrategySpec }
  | { readonly kind: 'timestamps'; readonly watermarks: WatermarkStrategySpec }
  | { readonly kind: 'window'; readonly window: WindowOperatorSpec }
  | { readonly kind: 'co-process'; readonly fn: CoProcessFunction<unknown, unknown, unknown> }
  | { readonly kind: 'keyed-co-process'; readonly fn: CoProcessFunction<unknown, unknown, unknown> }
  | { readonly kind: 'interval-join'; readonly lowerMs: number; readonly upperMs: number; readonly fn: ProcessJoinFunction<unknown, unknown, unknown> }
  | { readonly kind: 'map'; readonly fn: (value: unknown) => unknown }
  | { readonly kind: 'filter'; readonly fn: (value: unknown) => boolean }
  | { readonly kind: 'flat-map'; readonly fn: (value: unknown, out: Collector<unknown>) => void }
  | { readonly kind: 'process'; readonly fn: ProcessFunction<unknown, unknown> }
  | { readonly kind: 'keyed-process'; readonly fn: ProcessFunction<unknown, unknown> }
  | { readonly kind: 'reduce'; readonly fn: (acc: unknown, value: unknown) => unknown }
  | { readonly kind: 'sink'; readonly sink: Sink<unknown> };

export type OperatorKind = OperatorSpec['kind'];

/** Operators that read a keyed stream: their input edge must partition by key. */
export const KEYED_KINDS: ReadonlySet<OperatorKind> = new Set<OperatorKind>(['keyed-process', 'reduce', 'window', 'keyed-co-process', 'interval-join']);

/** Operators with two inputs (input index 0 and 1). */
export const TWO_INPUT_KINDS: ReadonlySet<OperatorKind> = new Set<OperatorKind>(['co-process', 'keyed-co-process', 'interval-join']);

/** The side output that failed records go to when an operator routes errors to dead letters. */
export const DEAD_LETTER_TAG = 'eddy.dead-letters';

/** What goes to the dead-letter output: the record, and why it failed where. */
export interface DeadLetter<T = unknown> {
  readonly record: T;
  readonly error: string;
  readonly stack: string;
  readonly operatorId: string;
  readonly operatorName: string;
}

export interface PlanEdge {
  readonly source: string; // operator id
  readonly target: string; // operator id
  readonly partitioner: PartitionerName;
  /** Present on hash edges: extracts the key from a record. */
  readonly keySelector?: (value: unknown) => unknown;
  readonly inputIndex: number;
  /** Present on edges that carry a side output of the source operator. */
  readonly sideOutputTag?: string;
}

export interface PlanNode {
  readonly id: string;
  readonly name: string;
  readonly uid: boolean; // id chosen by the user
  readonly parallelism: number;
  readonly spec: OperatorSpec;
  readonly chaining: boolean;
  /** Failed records go to the DEAD_LETTER_TAG side output instead of failing the job. */
  readonly deadLetters: boolean;
}

export interface JobConfig {
  /** Target size of a network buffer, in bytes. @default 32768 */
  bufferSizeBytes: number;
  /** Longest time a record waits in a partly filled buffer, in ms. @default 100 */
  bufferTimeoutMs: number;
  /** Buffers a receiver grants per input channel. @default 4 */
  creditsPerChannel: number;
  /** Encoded buffers a sender queues per output channel before it stops producing. @default 4 */
  maxQueuedBuffersPerChannel: number;
  /** Keyed state: 'leveldb' (default; may outgrow memory) or 'heap'. */
  stateBackend: 'leveldb' | 'heap';
  /** Decoded state entries cached on the heap per keyed task (leveldb backend). @default 100000 */
  stateCacheEntries: number;
  /** Periodic checkpoints (env.enableCheckpointing()); null: off. @default null */
  checkpointing: CheckpointConfig | null;
  /**
   * What the JobManager does when an attempt fails (env.setRestartStrategy()). The SDK always writes
   * the resolved strategy. @default 'none' without checkpointing, exponential backoff with it
   */
  restartStrategy: RestartStrategyConfig;
}

export const DEFAULT_JOB_CONFIG: JobConfig = {
  bufferSizeBytes: 32 * 1024,
  bufferTimeoutMs: 100,
  creditsPerChannel: 4,
  maxQueuedBuffersPerChannel: 4,
  stateBackend: 'leveldb',
  stateCacheEntries: 100_000,
  checkpointing: null,
  restartStrategy: { kind: 'none' },
};

export interface JobPlan {
  readonly name: string;
  readonly defaultParallelism: number;
  readonly maxParallelism: number;
  readonly nodes: readonly PlanNode[];
  readonly edges: readonly PlanEdge[];
  readonly config: JobConfig;
}

export interface PlanOptions {
  readonly defaultParallelism: number;
  /** Used when the job does not name itself. */
  readonly defaultJobName?: string;
}

/** The default export of a job module. */
export interface JobModule {
  readonly __eddyJob: 1;
  plan(args: readonly string[], options: PlanOptions): JobPlan;
}

/** Runs every sink's own check (Sink.validate); a failure names the sink. */
export function validatePlanSinks(plan: JobPlan): void {
  for (const node of plan.nodes) {
    if (node.spec.kind !== 'sink' || typeof node.spec.sink.validate !== 'function') continue;
    try {
      node.spec.sink.validate();
    } catch (e) {
      throw new ValidationError(`sink '${node.name}' (${node.id}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

export function isJobModule(v: unknown): v is JobModule {
  return typeof v === 'object' && v !== null && (v as { __eddyJob?: unknown }).__eddyJob === 1 &&
    typeof (v as { plan?: unknown }).plan === 'function';
}

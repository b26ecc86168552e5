/**
 * Windows (Flink's windowing): a keyed stream is cut into windows by an assigner; a trigger decides
 * when a window's contents are emitted through a window function; an event-time window accepts late
 * records until its end plus the allowed lateness has passed the watermark. These are the structural
 * types shared by the SDK, which builds a WindowOperatorSpec from the user's code, and the runtime's
 * WindowOperator, which executes it. The SDK's classes (TimeWindow, TumblingEventTimeWindows,
 * EventTimeTrigger, ...) implement them.
 */
import type { Collector } from './job-plan.js';
import type { AggregateFunction, ListState, ListStateSpec, ReducingState, ReducingStateSpec, StateSpec, TypedSpec, ValueState, ValueStateSpec } from './state-api.js';

/** A window of time `[start, end)`. Its state namespace is `${start}:${end}`. */
export interface TimeWindowLike {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  /** The last timestamp that belongs to the window: `end - 1`. Window results carry this timestamp. */
  maxTimestamp(): number;
}

export type WindowTimeDomain = 'event-time' | 'processing-time';

export interface WindowAssignerContext {
  currentProcessingTime(): number;
}

/** Assigns each record to zero or more windows. */
export interface WindowAssigner<T = unknown, W extends TimeWindowLike = TimeWindowLike> {
  /** 'event-time' assigners use the record's timestamp and watermarks; 'processing-time' ones the clock. */
  readonly timeDomain: WindowTimeDomain;
  /** Merging assigners (sessions): windows of a key that overlap or touch merge into one. */
  readonly merging: boolean;
  /** `timestamp` is the record's event time (event time) or the current processing time. */
  assignWindows(element: T, timestamp: number, ctx: WindowAssignerContext): readonly W[];
  /** Rebuilds a window from its bounds (timers and merged windows carry only the bounds). */
  window(start: number, end: number): W;
  /** The trigger used when the user sets none. */
  defaultTrigger(): WindowTrigger<T, W>;
  describe(): string;
  /**
   * Set by aligned sliding assigners (size a multiple of slide, larger than it): every window is the
   * union of size/slide consecutive slices `[offset + k * slide, offset + (k + 1) * slide)`, so an
   * incremental aggregate can keep one accumulator per slice instead of one per window.
   */
  readonly slicing?: { readonly size: number; readonly slide: number; readonly offset: number };
}

/** What a trigger answers; FIRE emits the window's contents, PURGE clears them. */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

/** A state descriptor (the SDK's classes) or a bare spec. */
export type StateSpecOrDescriptor<S extends StateSpec, T> = S | TypedSpec<S, T>;

/**
 * What a trigger sees. Timers and state are scoped to the current key and window; state names are
 * stored prefixed with 'trigger-'. A trigger must delete its timers and clear its state in clear().
 */
export interface TriggerContext {
  currentWatermark(): number;
  currentProcessingTime(): number;
  registerEventTimeTimer(timestamp: number): void;
  deleteEventTimeTimer(timestamp: number): void;
  registerProcessingTimeTimer(timestamp: number): void;
  deleteProcessingTimeTimer(timestamp: number): void;
  getValueState<T>(spec: StateSpecOrDescriptor<ValueStateSpec, T>): ValueState<T>;
  getListState<T>(spec: StateSpecOrDescriptor<ListStateSpec, T>): ListState<T>;
  getReducingState<T>(spec: StateSpecOrDescriptor<ReducingStateSpec, T>): ReducingState<T>;
}

/** In onMerge: merges the trigger state of the merged windows into the merge result's. */
export interface OnMergeContext extends TriggerContext {
  mergeReducingState(spec: StateSpecOrDescriptor<ReducingStateSpec, unknown>): void;
  mergeListState(spec: StateSpecOrDescriptor<ListStateSpec, unknown>): void;
}

/** Decides when a window fires (Flink's Trigger). */
export interface WindowTrigger<T = unknown, W extends TimeWindowLike = TimeWindowLike> {
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  /** True when the trigger supports merging windows (session windows need it). */
  canMerge(): boolean;
  /** Windows merged into `window`: re-register timers, merge state. */
  onMerge(window: W, ctx: OnMergeContext): void;
  /** The window is gone: delete timers, clear state. */
  clear(window: W, ctx: TriggerContext): void;
  describe(): string;
  /**
   * Declares that onElement() does nothing but register a timer at `window.maxTimestamp()` in this
   * time domain (firing at once when, in event time, the watermark has already passed it) and never
   * deletes that timer early. The window operator then skips onElement() for a window that already
   * holds elements, whose timer is known to be queued: most records of a window cost no timer work.
   */
  readonly onElementRegistersWindowEnd?: 'event-time' | 'processing-time';
  /**
   * Declares exactly the behaviour of the event-time default trigger: FIRE when the watermark reaches
   * `window.maxTimestamp()` (at once for a record admitted late), nothing else, no state of its own.
   * Sliced windows (see WindowAssigner.slicing) are only used with such a trigger.
   */
  readonly firesAtEventTimeWindowEnd?: boolean;
}

export interface ProcessWindowContext<W extends TimeWindowLike = TimeWindowLike> {
  readonly window: W;
  currentWatermark(): number;
  currentProcessingTime(): number;
}

/** Gets every element of a window (or the one pre-aggregated result) with the window's metadata. */
export interface ProcessWindowFunction<IN, OUT, K = unknown, W extends TimeWindowLike = TimeWindowLike> {
  process(key: K, context: ProcessWindowContext<W>, elements: IN[], out: Collector<OUT>): void;
}

/**
 * The window function. reduce and aggregate keep only the accumulator per window (incremental); when
 * `process` is set too it gets that one result with the window's metadata. `process` alone keeps
 * every element of the window in list state.
 */
export type WindowFunctionSpec =
  | {
      readonly kind: 'reduce';
      readonly reduce: (a: unknown, b: unknown) => unknown;
      readonly process?: ProcessWindowFunction<unknown, unknown>;
    }
  | {
      readonly kind: 'aggregate';
      readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
      readonly process?: ProcessWindowFunction<unknown, unknown>;
    }
  | { readonly kind: 'process'; readonly process: ProcessWindowFunction<unknown, unknown> };

/** The window operator's plan (OperatorSpec kind 'window'). */
export interface WindowOperatorSpec {
  readonly assigner: WindowAssigner;
  readonly trigger: WindowTrigger;
  /** Event time: a window keeps its state and accepts late records until maxTimestamp + this. */
  readonly allowedLatenessMs: number;
  /** Side output that records too late for every window go to (else they are counted and dropped). */
  readonly lateDataTag?: string;
  readonly function: WindowFunctionSpec;
}

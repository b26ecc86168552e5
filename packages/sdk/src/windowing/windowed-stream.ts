/**
 * WindowedStream: a keyed stream cut into windows (Flink's WindowedStream), from
 * `keyedStream.window(assigner)`. Set a trigger, allowed lateness and a late-data side output, then
 * end it with a window function; each returns the stream of window results. Results carry the
 * timestamp window.maxTimestamp().
 */
import type {
  AggregateFunction,
  Collector,
  OperatorSpec,
  OutputTagLike,
  ProcessWindowContext,
  ProcessWindowFunction,
  TimeWindowLike,
  WindowAssigner,
  WindowFunctionSpec,
  WindowOperatorSpec,
  WindowTrigger,
} from '@eddy/common';
import { SingleOutputStreamOperator } from '../datastream.js';
import type { ReduceFunction } from '../functions.js';
import type { PlanBuilder, StreamRef } from '../graph/plan-builder.js';
import type { TimeWindow } from './time-window.js';

export type { ProcessWindowFunction, ProcessWindowContext };

/** A process-window function given as a plain function. */
export type ProcessWindowFn<IN, OUT, K = unknown, W extends TimeWindowLike = TimeWindow> = (
  key: K,
  context: ProcessWindowContext<W>,
  elements: IN[],
  out: Collector<OUT>,
) => void;

export class WindowedStream<T, K, W extends TimeWindowLike = TimeWindow> {
  private windowTrigger: WindowTrigger<T, W>;
  private latenessMs = 0;
  private lateTag: OutputTagLike<T> | undefined;

  /** @internal use keyedStream.window(assigner) */
  constructor(
    private readonly builder: PlanBuilder,
    private readonly refs: readonly StreamRef[],
    private readonly assigner: WindowAssigner<T, W>,
  ) {
    if (typeof assigner?.assignWindows !== 'function') {
      throw new TypeError('window() takes a window assigner, e.g. TumblingEventTimeWindows.of(60_000)');
    }
    this.windowTrigger = assigner.defaultTrigger();
  }

  /** Replaces the assigner's default trigger. */
  trigger(trigger: WindowTrigger<T, W>): this {
    if (typeof trigger?.onElement !== 'function') throw new TypeError('trigger() takes a Trigger, e.g. CountTrigger.of(100)');
    if (this.assigner.merging && !trigger.canMerge()) {
      throw new TypeError(`${trigger.describe()} cannot merge windows, so it cannot be used with ${this.assigner.describe()}`);
    }
    this.windowTrigger = trigger;
    return this;
  }

  /**
   * Event time only: a window keeps its state for `ms` after the watermark passed its end; a late
   * record in that time is added and fires the window again (with the default trigger). @default 0
   */
  allowedLateness(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`allowedLateness() needs a non-negative number of milliseconds, got ${ms}`);
    if (ms > 0 && this.assigner.timeDomain !== 'event-time') {
      throw new TypeError(`allowedLateness() applies to event-time windows only, not to ${this.assigner.describe()}`);
    }
    this.latenessMs = ms;
    return this;
  }

  /**
   * Records too late for every window they belong to go to this side output (read it with
   * `getSideOutput(tag)` on the result). Without it they are dropped and counted in the operator's
   * lateRecordsDropped metric.
   */
  sideOutputLateData(tag: OutputTagLike<T>): this {
    if (typeof tag?.id !== 'string' || tag.id === '') throw new TypeError('sideOutputLateData() takes an OutputTag');
    this.lateTag = tag;
    return this;
  }

  /** Reduces each window incrementally: only the running value is kept. */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T>;
  /** Reduces incrementally, then gives the result with the window's metadata to `processFn`. */
  reduce<R>(fn: ReduceFunction<T>, processFn: ProcessWindowFunction<T, R, K, W> | ProcessWindowFn<T, R, K, W>): SingleOutputStreamOperator<R>;
  reduce<R>(fn: ReduceFunction<T>, processFn?: ProcessWindowFunction<T, R, K, W> | ProcessWindowFn<T, R, K, W>): SingleOutputStreamOperator<R> {
    if (typeof fn !== 'function') throw new TypeError('reduce() takes a function (a, b) => c');
    return this.build({ kind: 'reduce', reduce: fn as (a: unknown, b: unknown) => unknown, ...processOf(processFn) }, 'Reduce');
  }

  /** Aggregates each window incrementally: only the accumulator is kept. */
  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): SingleOutputStreamOperator<V>;
  /** Aggregates incrementally, then gives the result with the window's metadata to `processFn`. */
  aggregate<ACC, V, R>(
    fn: AggregateFunction<T, ACC, V>,
    processFn: ProcessWindowFunction<V, R, K, W> | ProcessWindowFn<V, R, K, W>,
  ): SingleOutputStreamOperator<R>;
  aggregate<ACC, V, R>(
    fn: AggregateFunction<T, ACC, V>,
    processFn?: ProcessWindowFunction<V, R, K, W> | ProcessWindowFn<V, R, K, W>,
  ): SingleOutputStreamOperator<R> {
    for (const m of ['createAccumulator', 'add', 'getResult'] as const) {
      if (typeof fn?.[m] !== 'function') throw new TypeError(`aggregate() takes an AggregateFunction: ${m}() is missing`);
    }
    if (this.assigner.merging && typeof fn.merge !== 'function') {
      throw new TypeError(`${this.assigner.describe()} merges windows, so the AggregateFunction needs merge(a, b)`);
    }
    const aggregate = fn as unknown as AggregateFunction<unknown, unknown, unknown>;
    return this.build({ kind: 'aggregate', aggregate, ...processOf(processFn) }, 'Aggregate');
  }

  /** Keeps every element of a window and gives them all to `fn` when the window fires. */
  process<R>(fn: ProcessWindowFunction<T, R, K, W> | ProcessWindowFn<T, R, K, W>): SingleOutputStreamOperator<R> {
    const { process } = processOf(fn);
    if (!process) throw new TypeError('process() takes a ProcessWindowFunction');
    return this.build({ kind: 'process', process }, 'Process');
  }

  private build<R>(fn: WindowFunctionSpec, label: string): SingleOutputStreamOperator<R> {
    const window: WindowOperatorSpec = {
      assigner: this.assigner as unknown as WindowAssigner,
      trigger: this.windowTrigger as unknown as WindowTrigger,
      allowedLatenessMs: this.latenessMs,
      ...(this.lateTag ? { lateDataTag: this.lateTag.id } : {}),
      function: fn,
    };
    const spec: OperatorSpec = { kind: 'window', window };
    const name = `Window(${this.assigner.describe()}, ${this.windowTrigger.describe()}, ${label})`;
    return new SingleOutputStreamOperator<R>(this.builder, this.builder.add(spec, name, this.refs));
  }
}

function processOf<IN, OUT, K, W extends TimeWindowLike>(
  fn: ProcessWindowFunction<IN, OUT, K, W> | ProcessWindowFn<IN, OUT, K, W> | undefined,
): { process?: ProcessWindowFunction<unknown, unknown> } {
  if (fn === undefined) return {};
  const process: ProcessWindowFunction<IN, OUT, K, W> = typeof fn === 'function' ? { process: fn } : fn;
  if (typeof process?.process !== 'function') {
    throw new TypeError('expected a ProcessWindowFunction: (key, context, elements, out) => void or an object with process()');
  }
  return { process: process as unknown as ProcessWindowFunction<unknown, unknown> };
}

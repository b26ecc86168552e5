/** The function types of the DataStream API. */
import type { Collector, ProcessContext, ProcessFunction, RuntimeContext } from '@eddy/common';

export type { Collector, ProcessContext, ProcessFunction, RuntimeContext };

export type MapFunction<T, R> = (value: T) => R;
export type FilterFunction<T> = (value: T) => boolean;
/** Emit through `out`, or return an iterable of results (or both). */
export type FlatMapFunction<T, R> = (value: T, out: Collector<R>) => Iterable<R> | void;
export type ReduceFunction<T> = (accumulator: T, value: T) => T;
export type KeySelector<T, K> = (value: T) => K;

/** A process function given as a plain function. */
export type ProcessElementFn<I, O, K = unknown> = (value: I, ctx: ProcessContext<K>, out: Collector<O>) => void;

export type KeyedProcessFunction<K, I, O> = ProcessFunction<I, O, K>;

export function toProcessFunction<I, O, K>(fn: ProcessFunction<I, O, K> | ProcessElementFn<I, O, K>): ProcessFunction<I, O, K> {
  if (typeof fn === 'function') return { processElement: fn };
  if (typeof fn?.processElement !== 'function') {
    throw new TypeError('process() takes a function (value, ctx, out) => void or an object with processElement()');
  }
  return fn;
}

/**
 * SlicedWindowOperator: aligned sliding event-time windows with an incremental aggregate, kept as one
 * accumulator per slice instead of one per window. A window of size/slide slices costs a record one
 * state update instead of size/slide; firing merges the window's slice accumulators. It is used in
 * place of the WindowOperator when the assigner offers slicing (WindowAssigner.slicing), the trigger
 * is the event-time default (firesAtEventTimeWindowEnd) and the AggregateFunction has merge() and a
 * primitive accumulator (see canSliceWindows), and it
 * emits what the WindowOperator would: the same windows, at the same watermarks, with the same
 * timestamps (window.maxTimestamp()), re-firing for records admitted within the allowed lateness.
 *
 * A window's result is getResult(merge(...merge(createAccumulator(), s1)..., sn)) over its non-empty
 * slices in time order.
 *
 * State (stable names, per key): 'window-slices' in the namespace `${start}:${end}` of the slice. Timers
 * are the WindowOperator's: per key and window, at maxTimestamp (fire) and maxTimestamp + allowed
 * lateness (cleanup), in the window's namespace. A slice is cleared when the last window holding it —
 * the one starting with it — is cleaned up.
 */
import { ValidationError, type AggregateFunction, type ProcessWindowFunction, type TimeWindowLike, type WindowOperatorSpec } from '@eddy/common';
import type { InternalValueState } from '../../state/keyed-state-backend.js';
import type { TimerTarget } from '../../time/internal-timer-service.js';
import type { OperatorContext, Output } from '../stream-operator.js';
import { WindowOperatorBase } from './window-operator-base.js';
import { windowNamespace, windowOfNamespace } from './window-namespace.js';
import { keyedStateOf, missingTimestampError } from './window-errors.js';

export const WINDOW_SLICES_STATE = 'window-slices';

type Aggregate = AggregateFunction<unknown, unknown, unknown> & { merge(a: unknown, b: unknown): unknown };

/**
 * The spec runs as sliced windows: aligned sliding event-time windows, the default trigger, and an
 * aggregate with merge() whose accumulator is a primitive (a number, string, bigint or boolean). Object
 * accumulators are left to the WindowOperator: merge() may return or reuse either argument, and a
 * stored slice's accumulator must never be modified by a window's merge.
 */
export function canSliceWindows(spec: WindowOperatorSpec): boolean {
  if (
    spec.assigner.slicing === undefined ||
    spec.assigner.timeDomain !== 'event-time' ||
    spec.assigner.merging ||
    spec.trigger.firesAtEventTimeWindowEnd !== true ||
    spec.function.kind !== 'aggregate' ||
    typeof spec.function.aggregate.merge !== 'function'
  ) {
    return false;
  }
  try {
    const acc = spec.function.aggregate.createAccumulator();
    return acc !== undefined && acc !== null && typeof acc !== 'object' && typeof acc !== 'function' && typeof acc !== 'symbol';
  } catch {
    return false; // the WindowOperator reports the user's error where it happens
  }
}

export class SlicedWindowOperator extends WindowOperatorBase implements TimerTarget {
  private readonly size: number;
  private readonly slide: number;
  private readonly offset: number;
  private readonly lateness: number;
  private readonly agg: Aggregate;
  private readonly process: ProcessWindowFunction<unknown, unknown> | undefined;
  private slices!: InternalValueState<unknown>;
  private setCurrentKey!: (key: unknown) => void;
  /** The namespace of the slice the last record fell into (consecutive records mostly share it). */
  private lastSliceStart = NaN;
  private lastSliceNs = '';
  /** Slice namespaces by start: firing reads size/slide slices, and formatting numbers is not cheap. */
  private readonly sliceNamespaces = new Map<number, string>();

  constructor(
    id: string,
    name: string,
    out: Output,
    spec: WindowOperatorSpec,
    keySelector: (v: unknown) => unknown,
  ) {
    super(id, name, out, spec, keySelector);
    if (!canSliceWindows(spec) || spec.function.kind !== 'aggregate') {
      throw new ValidationError(`window operator '${name}': ${spec.assigner.describe()} with ${spec.trigger.describe()} cannot run as sliced windows`);
    }
    const { size, slide, offset } = spec.assigner.slicing!;
    this.size = size;
    this.slide = slide;
    this.offset = offset;
    this.lateness = spec.allowedLatenessMs;
    this.agg = spec.function.aggregate as Aggregate;
    this.process = spec.function.process;
  }

  override open(ctx: OperatorContext): void {
    const backend = keyedStateOf(ctx.stateBackend, this.name, this.id);
    this.setCurrentKey = (key) => backend.setCurrentKey(key);
    this.timers = ctx.createTimerService(this.id, this);
    this.slices = backend.getValueState(this.id, { kind: 'value', name: WINDOW_SLICES_STATE });
  }

  processElement(value: unknown, timestamp: number): void {
    if (!Number.isFinite(timestamp)) throw missingTimestampError(this.name, this.id);
    const slide = this.slide;
    const r = (timestamp - this.offset) % slide;
    const sliceStart = timestamp - (r < 0 ? r + slide : r);
    const watermark = this.timers.currentWatermark();
    // the last window holding the slice starts with it: when that one is cleaned up, all are
    if (sliceStart + this.size - 1 + this.lateness <= watermark) {
      this.late(value, timestamp);
      return;
    }
    let key: unknown;
    try {
      key = this.keySelector(value);
      this.setCurrentKey(key);
      if (sliceStart !== this.lastSliceStart) {
        this.lastSliceStart = sliceStart;
        this.lastSliceNs = this.sliceNamespace(sliceStart);
      }
      const slices = this.slices;
      slices.setNamespace(this.lastSliceNs);
      const acc = slices.value();
      slices.update(this.agg.add(value, acc === undefined ? this.agg.createAccumulator() : acc));
      // A slice that held records already has its windows' timers queued; unless a window of it is
      // past the watermark (a record admitted late fires it again), there is nothing else to do.
      if (acc !== undefined && sliceStart + slide - 1 > watermark) return;
      // latest window first, the order the assigner lists them in (and the WindowOperator fires them)
      for (let end = sliceStart + this.size; end > sliceStart; end -= slide) {
        const maxTimestamp = end - 1;
        if (maxTimestamp + this.lateness <= watermark) continue; // cleaned up already
        const window = this.spec.assigner.window(end - this.size, end);
        const ns = windowNamespace(window);
        if (maxTimestamp <= watermark) this.fire(key, window);
        else this.timers.registerEventTimeTimer(ns, maxTimestamp);
        if (this.lateness > 0) this.timers.registerEventTimeTimer(ns, maxTimestamp + this.lateness);
      }
    } catch (e) {
      this.guard.handle(e, value, timestamp);
    }
  }

  onEventTime(key: unknown, namespace: string, timestamp: number): void {
    try {
      // without lateness a timer is both the fire and the cleanup of the window ending at timestamp + 1
      const window = this.lateness === 0 ? this.spec.assigner.window(timestamp + 1 - this.size, timestamp + 1) : windowOfNamespace(this.spec.assigner, namespace);
      const maxTimestamp = window.end - 1;
      if (timestamp === maxTimestamp) this.fire(key, window);
      if (timestamp === maxTimestamp + this.lateness) {
        this.slices.setNamespace(this.sliceNamespace(window.start));
        this.slices.clear();
      }
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  private sliceNamespace(start: number): string {
    let ns = this.sliceNamespaces.get(start);
    if (ns === undefined) {
      if (this.sliceNamespaces.size >= 4096) this.sliceNamespaces.clear();
      ns = `${start}:${start + this.slide}`;
      this.sliceNamespaces.set(start, ns);
    }
    return ns;
  }

  onProcessingTime(): void {}

  /** Emits the window's result from its slices; nothing when they are all empty. */
  private fire(key: unknown, window: TimeWindowLike): void {
    const slices = this.slices;
    let merged: unknown;
    for (let start = window.start; start < window.end; start += this.slide) {
      slices.setNamespace(this.sliceNamespace(start));
      const acc = slices.value();
      if (acc !== undefined) merged = this.agg.merge(merged === undefined ? this.agg.createAccumulator() : merged, acc);
    }
    if (merged === undefined) return;
    const result = this.agg.getResult(merged);
    this.collector.timestamp = window.maxTimestamp();
    if (this.process) {
      const timers = this.timers;
      this.process.process(key, { window, currentWatermark: () => timers.currentWatermark(), currentProcessingTime: () => timers.currentProcessingTime() }, [result], this.collector);
    } else {
      this.collector.collect(result);
    }
  }
}

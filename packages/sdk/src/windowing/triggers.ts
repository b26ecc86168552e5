/**
 * Triggers decide when a window emits its contents (Flink's triggers). EventTimeTrigger is the default
 * of event-time assigners, ProcessingTimeTrigger of processing-time ones. Implement `Trigger` for your
 * own: timers and state given by the context are scoped to the current key and window.
 */
import type {
  OnMergeContext,
  ReducingStateSpec,
  TimeWindowLike,
  TriggerContext,
  TriggerResult as TriggerResultType,
  WindowTrigger,
} from '@eddy/common';

export type { TriggerContext, OnMergeContext };
export type Trigger<T = unknown, W extends TimeWindowLike = TimeWindowLike> = WindowTrigger<T, W>;
export type TriggerResult = TriggerResultType;

/** The answers of a trigger. */
export const TriggerResult = {
  CONTINUE: 'CONTINUE',
  FIRE: 'FIRE',
  PURGE: 'PURGE',
  FIRE_AND_PURGE: 'FIRE_AND_PURGE',
} as const satisfies Record<TriggerResultType, TriggerResultType>;

/** Fires once the watermark passes the window's end; late records within the allowed lateness re-fire it. */
export class EventTimeTrigger implements Trigger<unknown, TimeWindowLike> {
  readonly onElementRegistersWindowEnd = 'event-time';
  readonly firesAtEventTimeWindowEnd = true;
  private constructor() {}
  static create(): EventTimeTrigger {
    return new EventTimeTrigger();
  }
  onElement(_e: unknown, _ts: number, window: TimeWindowLike, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.currentWatermark()) return 'FIRE'; // late but allowed: fire again now
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }
  onEventTime(time: number, window: TimeWindowLike): TriggerResult {
    return time === window.maxTimestamp() ? 'FIRE' : 'CONTINUE';
  }
  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: TimeWindowLike, ctx: OnMergeContext): void {
    // Only when the merged window is not already past the watermark: else it fires with the next element.
    if (window.maxTimestamp() > ctx.currentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }
  clear(window: TimeWindowLike, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  describe(): string {
    return 'EventTimeTrigger';
  }
}

/** Fires when the wall clock passes the window's end. */
export class ProcessingTimeTrigger implements Trigger<unknown, TimeWindowLike> {
  readonly onElementRegistersWindowEnd = 'processing-time';
  private constructor() {}
  static create(): ProcessingTimeTrigger {
    return new ProcessingTimeTrigger();
  }
  onElement(_e: unknown, _ts: number, window: TimeWindowLike, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }
  onEventTime(): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(): TriggerResult {
    return 'FIRE';
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: TimeWindowLike, ctx: OnMergeContext): void {
    if (window.maxTimestamp() > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(window.maxTimestamp());
  }
  clear(window: TimeWindowLike, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
  describe(): string {
    return 'ProcessingTimeTrigger';
  }
}

/** Fires every `count` elements of a window (the window keeps its contents unless purged). */
export class CountTrigger implements Trigger<unknown, TimeWindowLike> {
  private readonly state: ReducingStateSpec = { kind: 'reducing', name: 'count', reduce: (a, b) => (a as number) + (b as number) };
  private constructor(private readonly count: number) {}
  static of(count: number): CountTrigger {
    if (!Number.isInteger(count) || count < 1) throw new TypeError(`CountTrigger.of() needs a positive integer, got ${count}`);
    return new CountTrigger(count);
  }
  onElement(_e: unknown, _ts: number, _w: TimeWindowLike, ctx: TriggerContext): TriggerResult {
    const seen = ctx.getReducingState<number>(this.state);
    seen.add(1);
    if ((seen.get() ?? 0) >= this.count) {
      seen.clear();
      return 'FIRE';
    }
    return 'CONTINUE';
  }
  onEventTime(): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(_w: TimeWindowLike, ctx: OnMergeContext): void {
    ctx.mergeReducingState(this.state);
  }
  clear(_w: TimeWindowLike, ctx: TriggerContext): void {
    ctx.getReducingState<number>(this.state).clear();
  }
  describe(): string {
    return `CountTrigger(${this.count})`;
  }
}

/** Turns every FIRE of the nested trigger into FIRE_AND_PURGE: each firing emits only what came since the last. */
export class PurgingTrigger<T, W extends TimeWindowLike> implements Trigger<T, W> {
  private constructor(private readonly nested: Trigger<T, W>) {}
  static of<T, W extends TimeWindowLike>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested);
  }
  onElement(e: T, ts: number, w: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onElement(e, ts, w, ctx));
  }
  onEventTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onEventTime(time, w, ctx));
  }
  onProcessingTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onProcessingTime(time, w, ctx));
  }
  canMerge(): boolean {
    return this.nested.canMerge();
  }
  onMerge(w: W, ctx: OnMergeContext): void {
    this.nested.onMerge(w, ctx);
  }
  clear(w: W, ctx: TriggerContext): void {
    this.nested.clear(w, ctx);
  }
  describe(): string {
    return `PurgingTrigger(${this.nested.describe()})`;
  }
}

function purging(r: TriggerResult): TriggerResult {
  return r === 'FIRE' ? 'FIRE_AND_PURGE' : r;
}

/**
 * Event time (Flink's WatermarkStrategy): a timestamp assigner extracts each record's event time, and a
 * watermark generator declares "no record older than W is still to come". Sources run one generator per
 * split; the runtime combines watermarks as the minimum across splits and input channels.
 */
export interface WatermarkOutput {
  emitWatermark(timestamp: number): void;
  /** No records for a while: downstream ignores this split/channel when combining watermarks. */
  markIdle(): void;
  markActive(): void;
}

export interface WatermarkGenerator<T> {
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  /** Called every `periodMs`. */
  onPeriodicEmit(output: WatermarkOutput): void;
}

export type TimestampAssigner<T> = (event: T, recordTimestamp: number) => number;

/** What a watermark strategy is, structurally (the SDK's WatermarkStrategy class implements it). */
export interface WatermarkStrategySpec<T = unknown> {
  createGenerator(): WatermarkGenerator<T>;
  readonly timestampAssigner?: TimestampAssigner<T>;
  /** A split or channel without records this long is idle. */
  readonly idlenessMs?: number;
  /** Interval of onPeriodicEmit. @default 200 */
  readonly periodMs?: number;
}

/** The watermark before any was emitted. */
export const MIN_WATERMARK = -Infinity;
/** The watermark at the end of a bounded input: every event-time timer fires. */
export const MAX_WATERMARK = Infinity;

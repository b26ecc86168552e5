/**
 * Event time: how records get their timestamps and how watermarks are generated (Flink's
 * WatermarkStrategy). Give one to `env.fromSource(source, strategy)` — watermarks are then generated
 * per split (per file, per partition) and combined as their minimum — or to
 * `stream.assignTimestampsAndWatermarks(strategy)`.
 *
 * ```ts
 * WatermarkStrategy.forBoundedOutOfOrderness<Click>(5_000)
 *   .withTimestampAssigner((c) => c.time)
 *   .withIdleness(30_000)
 * ```
 */
import type { TimestampAssigner, WatermarkGenerator, WatermarkOutput, WatermarkStrategySpec } from '@eddy/common';

export class WatermarkStrategy<T> implements WatermarkStrategySpec<T> {
  private constructor(
    private readonly generator: () => WatermarkGenerator<T>,
    readonly timestampAssigner?: TimestampAssigner<T>,
    readonly idlenessMs?: number,
    readonly periodMs?: number,
  ) {}

  /** Watermark = highest timestamp seen − maxOutOfOrdernessMs − 1: records may be that late. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategy<T> {
    if (!(maxOutOfOrdernessMs >= 0)) throw new TypeError('maxOutOfOrdernessMs must be >= 0');
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrderness<T>(maxOutOfOrdernessMs));
  }

  /** Timestamps never decrease (within a split): watermark = highest timestamp − 1. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return WatermarkStrategy.forBoundedOutOfOrderness<T>(0);
  }

  /** Your own generator. */
  static forGenerator<T>(create: () => WatermarkGenerator<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(create);
  }

  /** Timestamps only (e.g. from the source), no watermarks: event-time timers never fire before the end of input. */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => ({ onEvent() {}, onPeriodicEmit() {} }));
  }

  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.generator, assigner, this.idlenessMs, this.periodMs);
  }

  /** A split without records for `ms` stops holding back the watermark. */
  withIdleness(ms: number): WatermarkStrategy<T> {
    if (!(ms > 0)) throw new TypeError('idleness must be positive');
    return new WatermarkStrategy<T>(this.generator, this.timestampAssigner, ms, this.periodMs);
  }

  /** How often watermarks are emitted. @default 200 ms */
  withPeriod(ms: number): WatermarkStrategy<T> {
    if (!(ms > 0)) throw new TypeError('period must be positive');
    return new WatermarkStrategy<T>(this.generator, this.timestampAssigner, this.idlenessMs, ms);
  }

  createGenerator(): WatermarkGenerator<T> {
    return this.generator();
  }
}

class BoundedOutOfOrderness<T> implements WatermarkGenerator<T> {
  private max = -Infinity;
  constructor(private readonly delay: number) {}
  onEvent(_e: T, timestamp: number): void {
    if (timestamp > this.max) this.max = timestamp;
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.max > -Infinity) output.emitWatermark(this.max - this.delay - 1);
  }
}

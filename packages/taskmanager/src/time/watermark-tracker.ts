/**
 * Generates watermarks for a source or a timestamps operator: one WatermarkGenerator per split (one
 * "split" for a timestamps operator), combined as the minimum over active splits. A split without
 * records for the strategy's idleness is left out of the minimum; when every split is idle, the output
 * is marked idle so downstream operators stop waiting for it. Watermarks only move forward.
 */
import type { WatermarkGenerator, WatermarkOutput, WatermarkStrategySpec } from '@eddy/common';

interface SplitWatermark {
  readonly generator: WatermarkGenerator<unknown>;
  readonly output: WatermarkOutput;
  watermark: number;
  idle: boolean;
  lastRecordAt: number;
}

export interface WatermarkSink {
  emitWatermark(watermark: number): void;
  markIdle(idle: boolean): void;
}

export class WatermarkTracker {
  private readonly splits = new Map<string, SplitWatermark>();
  private current: SplitWatermark | undefined;
  private emitted = -Infinity;
  private idle = false;
  private readonly assigner: ((event: unknown, recordTimestamp: number) => number) | undefined;
  readonly periodMs: number;

  constructor(
    private readonly strategy: WatermarkStrategySpec,
    private readonly sink: WatermarkSink,
    private readonly now: () => number,
  ) {
    this.assigner = strategy.timestampAssigner;
    this.periodMs = strategy.periodMs ?? 200;
  }

  /** Records that follow belong to this split until the next call. */
  startSplit(id: string): void {
    let s = this.splits.get(id);
    if (!s) {
      const entry: SplitWatermark = {
        generator: this.strategy.createGenerator(),
        watermark: -Infinity,
        idle: false,
        lastRecordAt: this.now(),
        output: {
          emitWatermark: (w) => {
            if (w > entry.watermark) entry.watermark = w;
          },
          markIdle: () => {
            entry.idle = true;
          },
          markActive: () => {
            entry.idle = false;
          },
        },
      };
      s = entry;
      this.splits.set(id, s);
    }
    this.current = s;
  }

  /** A finished split no longer holds the watermark back. */
  finishSplit(id: string): void {
    if (this.current === this.splits.get(id)) this.current = undefined;
    this.splits.delete(id);
  }

  /** Returns the record's event timestamp (assigned, or the one it came with). */
  onRecord(value: unknown, recordTimestamp: number, now: number): number {
    const ts = this.assigner ? this.assigner(value, recordTimestamp) : recordTimestamp;
    const s = this.current;
    if (s) {
      s.lastRecordAt = now;
      s.idle = false;
      s.generator.onEvent(value, ts, s.output);
    }
    return ts;
  }

  /** Periodic emission; call every periodMs. */
  onPeriodicEmit(now: number): void {
    const idleness = this.strategy.idlenessMs;
    let min = Infinity;
    let active = 0;
    for (const s of this.splits.values()) {
      s.generator.onPeriodicEmit(s.output);
      if (idleness !== undefined && now - s.lastRecordAt >= idleness) s.idle = true;
      if (s.idle) continue;
      active++;
      if (s.watermark < min) min = s.watermark;
    }
    if (active === 0 && this.splits.size > 0) {
      this.setIdle(true);
      return;
    }
    if (active > 0) this.setIdle(false);
    if (active > 0 && min > this.emitted && min > -Infinity) {
      this.emitted = min;
      this.sink.emitWatermark(min);
    }
  }

  /** End of a bounded input: everything is complete. */
  finishAll(): void {
    this.setIdle(false);
    this.emitted = Infinity;
    this.sink.emitWatermark(Infinity);
  }

  private setIdle(idle: boolean): void {
    if (idle === this.idle) return;
    this.idle = idle;
    this.sink.markIdle(idle);
  }
}

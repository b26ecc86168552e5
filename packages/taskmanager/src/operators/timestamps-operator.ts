/**
 * assignTimestampsAndWatermarks(): stamps each record with its event time and generates watermarks
 * from the stream (one generator for the whole stream). Upstream watermarks are not forwarded: this
 * operator is where event time is defined.
 */
import type { WatermarkStrategySpec } from '@eddy/common';
import { WatermarkTracker } from '../time/watermark-tracker.js';
import { UserFunctionOperator } from './stateless-operators.js';
import type { OperatorContext, Output } from './stream-operator.js';

export class TimestampsOperator extends UserFunctionOperator {
  private readonly tracker: WatermarkTracker;
  private timer: NodeJS.Timeout | undefined;
  private now: () => number = Date.now;

  constructor(id: string, name: string, out: Output, strategy: WatermarkStrategySpec) {
    super(id, name, out);
    this.tracker = new WatermarkTracker(strategy, { emitWatermark: (w) => out.emitWatermark(w), markIdle: () => undefined }, () => this.now());
    this.tracker.startSplit('stream');
  }

  override open(ctx: OperatorContext): void {
    this.now = () => ctx.now();
    this.timer = setInterval(() => this.tracker.onPeriodicEmit(this.now()), this.tracker.periodMs);
  }

  processElement(value: unknown, timestamp: number): void {
    let ts: number;
    try {
      ts = this.tracker.onRecord(value, timestamp, this.now());
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    this.out.collect(value, ts);
  }

  override processWatermark(watermark: number): void {
    if (watermark === Infinity) this.out.emitWatermark(Infinity); // end of input passes through
  }

  override finish(): void {
    this.tracker.onPeriodicEmit(this.now());
  }

  override close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

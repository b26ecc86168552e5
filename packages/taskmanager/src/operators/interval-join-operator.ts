/**
 * intervalJoin(): joins a left record at time t with every right record of the same key whose time is
 * in [t + lower, t + upper]. Both sides are buffered in keyed state until the watermark passes the
 * interval, then cleaned up by timers. Records must carry event timestamps. A record older than the
 * watermark can no longer find all its partners: it is counted in lateRecordsDropped (Flink drops them
 * too).
 */
import type { ProcessJoinFunction } from '@eddy/common';
import type { InternalListState } from '../state/keyed-state-backend.js';
import type { InternalTimerService, TimerTarget } from '../time/internal-timer-service.js';
import { TimestampedCollector, UserFunctionOperator } from './stateless-operators.js';
import type { OperatorContext, Output, TwoInputOperator } from './stream-operator.js';

interface Buffered {
  v: unknown;
  t: number;
}

export class IntervalJoinOperator extends UserFunctionOperator implements TwoInputOperator, TimerTarget {
  lateRecordsDropped = 0;
  private left!: InternalListState<Buffered>;
  private right!: InternalListState<Buffered>;
  private timers!: InternalTimerService;
  private setKey!: (k: unknown) => void;
  private readonly collector: TimestampedCollector;

  constructor(
    id: string,
    name: string,
    out: Output,
    private readonly lower: number,
    private readonly upper: number,
    private readonly fn: ProcessJoinFunction<unknown, unknown, unknown>,
    private readonly leftKey: (v: unknown) => unknown,
    private readonly rightKey: (v: unknown) => unknown,
  ) {
    super(id, name, out);
    if (!(lower <= upper)) throw new Error(`intervalJoin: lower bound ${lower} is above upper bound ${upper}`);
    this.collector = new TimestampedCollector(out);
  }

  override open(ctx: OperatorContext): void {
    const backend = ctx.stateBackend;
    if (!backend) throw new Error(`interval join '${this.name}' needs keyed inputs: keyBy() both streams`);
    this.setKey = (k) => backend.setCurrentKey(k);
    this.left = backend.getListState(this.id, { kind: 'list', name: 'left-buffer' });
    this.right = backend.getListState(this.id, { kind: 'list', name: 'right-buffer' });
    this.timers = ctx.createTimerService(this.id, this);
  }

  processElement(value: unknown, timestamp: number): void {
    this.side(value, timestamp, true);
  }

  processElement2(value: unknown, timestamp: number): void {
    this.side(value, timestamp, false);
  }

  private side(value: unknown, t: number, isLeft: boolean): void {
    try {
      if (Number.isNaN(t)) throw new Error('interval joins need event timestamps: assign them with a WatermarkStrategy');
      this.setKey((isLeft ? this.leftKey : this.rightKey)(value));
      if (t < this.timers.currentWatermark()) {
        this.lateRecordsDropped++;
        return;
      }
      (isLeft ? this.left : this.right).add({ v: value, t });
      const others = (isLeft ? this.right : this.left).get();
      for (const o of others) {
        const [l, r] = isLeft ? [{ v: value, t }, o] : [o, { v: value, t }];
        if (r.t < l.t + this.lower || r.t > l.t + this.upper) continue;
        const ts = Math.max(l.t, r.t);
        this.collector.timestamp = ts;
        this.fn.processElement(l.v, r.v, { leftTimestamp: l.t, rightTimestamp: r.t, timestamp: ts }, this.collector);
      }
      // A left record can match until t + upper; a right one until t - lower.
      this.timers.registerEventTimeTimer(isLeft ? 'L' : 'R', isLeft ? t + this.upper : t - this.lower);
    } catch (e) {
      this.guard.handle(e, value, t);
    }
  }

  override processWatermark(watermark: number): void {
    (this.timers as { advanceWatermark?: (w: number) => void }).advanceWatermark?.(watermark);
    this.out.emitWatermark(watermark);
  }

  onEventTime(_key: unknown, namespace: string, timestamp: number): void {
    if (namespace === 'L') prune(this.left, (b) => b.t + this.upper > timestamp);
    else prune(this.right, (b) => b.t - this.lower > timestamp);
  }

  onProcessingTime(): void {}
}

function prune(state: InternalListState<Buffered>, keep: (b: Buffered) => boolean): void {
  const all = state.get();
  const kept = all.filter(keep);
  if (kept.length === all.length) return;
  if (kept.length === 0) state.clear();
  else state.update(kept);
}

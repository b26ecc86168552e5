// Nexmark q5 (hot items): bids per auction in sliding windows of 10 s every 2 s (incremental count plus
// a process-window function for the window bounds), then, keyed by window end, the auctions whose count
// is the window's maximum, emitted by an event-time timer when the watermark passes the window.
// args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import {
  defineJob,
  nexmarkBids,
  SlidingEventTimeWindows,
  ValueStateDescriptor,
  type Collector,
  type KeyedProcessFunction,
  type OnTimerContext,
  type ProcessContext,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

interface AuctionCount { auction: number; count: number; windowStart: number; windowEnd: number }
interface Best { max: number; windowStart: number; auctions: number[] }

class HottestPerWindow implements KeyedProcessFunction<number, AuctionCount, AuctionCount> {
  private best!: ValueState<Best>;

  open(ctx: RuntimeContext): void {
    this.best = ctx.getState(new ValueStateDescriptor<Best>('best'));
  }

  processElement(r: AuctionCount, ctx: ProcessContext<number>, _out: Collector<AuctionCount>): void {
    const b = this.best.value();
    if (b === undefined) {
      this.best.update({ max: r.count, windowStart: r.windowStart, auctions: [r.auction] });
      ctx.timerService().registerEventTimeTimer(r.windowEnd - 1);
    } else if (r.count > b.max) {
      this.best.update({ max: r.count, windowStart: b.windowStart, auctions: [r.auction] });
    } else if (r.count === b.max) {
      b.auctions.push(r.auction);
      this.best.update(b);
    }
  }

  onTimer(_t: number, ctx: OnTimerContext<number>, out: Collector<AuctionCount>): void {
    const b = this.best.value();
    if (b === undefined) return;
    const windowEnd = ctx.getCurrentKey();
    for (const auction of b.auctions) out.collect({ auction, count: b.max, windowStart: b.windowStart, windowEnd });
    this.best.clear();
  }
}

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q5');
  const out = nexmarkBids(nexmarkEvents(env, a))
    .map((b) => b.auction)
    .name('AuctionOfBid')
    .keyBy((auction) => auction)
    .window(SlidingEventTimeWindows.of(10_000, 2_000))
    .aggregate(
      { createAccumulator: () => 0, add: (_a: number, n: number) => n + 1, getResult: (n: number) => n, merge: (x: number, y: number) => x + y },
      (auction: number, ctx, counts: number[], o: Collector<AuctionCount>) =>
        o.collect({ auction, count: counts[0]!, windowStart: ctx.window.start, windowEnd: ctx.window.end }),
    )
    .uid('q5-count')
    .name('BidsPerAuction')
    .keyBy((r) => r.windowEnd)
    .process(new HottestPerWindow())
    .uid('q5-hottest')
    .name('HottestPerWindow');
  sinkOutputs(out, a);
});

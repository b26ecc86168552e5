// Nexmark q7 (highest bid): per tumbling 10 s window, every bid whose price equals the window's highest.
// Two stages so that it scales: per auction and window, the highest bids (incremental aggregate with
// the window end attached); then, keyed by window end, the overall highest of those, emitted by an
// event-time timer when the watermark passes the window. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import {
  defineJob,
  nexmarkBids,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  type Collector,
  type KeyedProcessFunction,
  type OnTimerContext,
  type ProcessContext,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

interface PricedBid { auction: number; price: number; bidder: number; dateTime: number }
interface Q7Out { auction: number; price: number; bidder: number; dateTime: number; windowEnd: number }
interface Highest { max: number; bids: PricedBid[] }

const highest = {
  createAccumulator: (): Highest => ({ max: -1, bids: [] }),
  add: (b: PricedBid, acc: Highest): Highest => {
    if (b.price > acc.max) return { max: b.price, bids: [b] };
    if (b.price === acc.max) acc.bids.push(b);
    return acc;
  },
  getResult: (acc: Highest): Highest => acc,
  merge: (x: Highest, y: Highest): Highest => (x.max > y.max ? x : y.max > x.max ? y : { max: x.max, bids: [...x.bids, ...y.bids] }),
};

class HighestPerWindow implements KeyedProcessFunction<number, Q7Out, Q7Out> {
  private best!: ValueState<Highest>;

  open(ctx: RuntimeContext): void {
    this.best = ctx.getState(new ValueStateDescriptor<Highest>('highest'));
  }

  processElement(r: Q7Out, ctx: ProcessContext<number>, _out: Collector<Q7Out>): void {
    const b = this.best.value();
    const bid: PricedBid = { auction: r.auction, price: r.price, bidder: r.bidder, dateTime: r.dateTime };
    if (b === undefined) {
      this.best.update({ max: r.price, bids: [bid] });
      ctx.timerService().registerEventTimeTimer(r.windowEnd - 1);
    } else if (r.price > b.max) {
      this.best.update({ max: r.price, bids: [bid] });
    } else if (r.price === b.max) {
      b.bids.push(bid);
      this.best.update(b);
    }
  }

  onTimer(_t: number, ctx: OnTimerContext<number>, out: Collector<Q7Out>): void {
    const b = this.best.value();
    if (b === undefined) return;
    const windowEnd = ctx.getCurrentKey();
    for (const x of b.bids) out.collect({ auction: x.auction, price: x.price, bidder: x.bidder, dateTime: x.dateTime, windowEnd });
    this.best.clear();
  }
}

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q7');
  const out = nexmarkBids(nexmarkEvents(env, a))
    .map((b): PricedBid => ({ auction: b.auction, price: b.price, bidder: b.bidder, dateTime: b.dateTime }))
    .name('PricedBids')
    .keyBy((b) => b.auction)
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate(highest, (_auction: number, ctx, results: Highest[], o: Collector<Q7Out>) => {
      const end = ctx.window.end;
      for (const b of results[0]!.bids) o.collect({ auction: b.auction, price: b.price, bidder: b.bidder, dateTime: b.dateTime, windowEnd: end });
    })
    .uid('q7-highest-per-auction')
    .name('HighestPerAuction')
    .keyBy((r) => r.windowEnd)
    .process(new HighestPerWindow())
    .uid('q7-highest')
    .name('HighestPerWindow');
  sinkOutputs(out, a);
});

// Nexmark q4 (average price per category): auctions and bids keyed by auction id; an auction's final
// price is its highest bid with auction.dateTime <= bid.dateTime <= expires, known when the watermark
// passes `expires` (an event-time timer); then, keyed by category, the running average of final prices.
// args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
//
// Bids may reach the join before their auction (another source subtask, or a bid generated in the same
// millisecond just before its auction): they wait in list state until the auction arrives, or until the
// watermark passes their dateTime (then no auction they could belong to can still come) — a timer at the
// bid's dateTime drops them.
import {
  defineJob,
  ListStateDescriptor,
  ValueStateDescriptor,
  type Auction,
  type Bid,
  type Collector,
  type CoProcessFunction,
  type KeyedProcessFunction,
  type ListState,
  type OnTimerContext,
  type ProcessContext,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

/** An auction (kind 0, value = expires) or a bid (kind 1, value = price), one shape for both. */
interface Relevant { kind: 0 | 1; auction: number; dateTime: number; value: number; category: number }
interface OpenAuction { id: number; dateTime: number; expires: number; category: number }
interface BidPrice { auction: number; price: number; dateTime: number }
interface FinalPrice { category: number; price: number }
interface Q4Out { category: number; average: number }

class WinningBids implements CoProcessFunction<OpenAuction, BidPrice, FinalPrice, number> {
  private auction!: ValueState<OpenAuction>;
  private max!: ValueState<number>;
  private early!: ListState<[price: number, dateTime: number]>;

  open(ctx: RuntimeContext): void {
    this.auction = ctx.getState(new ValueStateDescriptor<OpenAuction>('auction'));
    this.max = ctx.getState(new ValueStateDescriptor<number>('max-price'));
    this.early = ctx.getListState(new ListStateDescriptor<[number, number]>('early-bids'));
  }

  processElement1(a: OpenAuction, ctx: ProcessContext<number>, _out: Collector<FinalPrice>): void {
    this.auction.update(a);
    ctx.timerService().registerEventTimeTimer(a.expires);
    const early = this.early.get();
    if (early.length > 0) {
      let max = -1;
      for (const [price, t] of early) if (t >= a.dateTime && t <= a.expires && price > max) max = price;
      if (max >= 0) this.max.update(max);
      this.early.clear();
    }
  }

  processElement2(b: BidPrice, ctx: ProcessContext<number>, _out: Collector<FinalPrice>): void {
    const a = this.auction.value();
    if (a !== undefined) {
      if (b.dateTime >= a.dateTime && b.dateTime <= a.expires) {
        const m = this.max.value();
        if (m === undefined || b.price > m) this.max.update(b.price);
      }
      return;
    }
    const timers = ctx.timerService();
    if (b.dateTime <= timers.currentWatermark()) return; // every auction it could belong to has come and gone
    this.early.add([b.price, b.dateTime]);
    timers.registerEventTimeTimer(b.dateTime);
  }

  onTimer(t: number, _ctx: OnTimerContext<number>, out: Collector<FinalPrice>): void {
    const a = this.auction.value();
    if (a !== undefined) {
      if (t < a.expires) return;
      const m = this.max.value();
      if (m !== undefined) out.collect({ category: a.category, price: m });
      this.auction.clear();
      this.max.clear();
      return;
    }
    const early = this.early.get();
    if (early.length === 0) return;
    const keep = early.filter(([, dt]) => dt > t);
    if (keep.length === 0) this.early.clear();
    else if (keep.length < early.length) this.early.update(keep);
  }
}

class RunningAverage implements KeyedProcessFunction<number, FinalPrice, Q4Out> {
  private sum!: ValueState<[sum: number, count: number]>;

  open(ctx: RuntimeContext): void {
    this.sum = ctx.getState(new ValueStateDescriptor<[number, number]>('sum-count'));
  }

  processElement(p: FinalPrice, _ctx: ProcessContext<number>, out: Collector<Q4Out>): void {
    const s = this.sum.value();
    const sum = (s === undefined ? 0 : s[0]) + p.price;
    const count = (s === undefined ? 0 : s[1]) + 1;
    this.sum.update([sum, count]);
    out.collect({ category: p.category, average: sum / count });
  }
}

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q4');
  // One flatMap chained to the source turns auctions and bids into small records (one shape) before
  // the stream forks into the two inputs (chained: both branches run in the source task by direct calls).
  const relevant = nexmarkEvents(env, a)
    .flatMap<Relevant>((e, o) => {
      const b = (e as { bid?: Bid }).bid;
      if (b !== undefined) {
        o.collect({ kind: 1, auction: b.auction, dateTime: b.dateTime, value: b.price, category: -1 });
        return;
      }
      const x = (e as { auction?: Auction }).auction;
      if (x !== undefined) o.collect({ kind: 0, auction: x.id, dateTime: x.dateTime, value: x.expires, category: x.category });
    })
    .name('AuctionsAndBids');
  const auctions = relevant
    .flatMap<OpenAuction>((r, o) => {
      if (r.kind === 0) o.collect({ id: r.auction, dateTime: r.dateTime, expires: r.value, category: r.category });
    })
    .name('AuctionTerms');
  const bids = relevant
    .flatMap<BidPrice>((r, o) => {
      if (r.kind === 1) o.collect({ auction: r.auction, price: r.value, dateTime: r.dateTime });
    })
    .name('BidPrices');
  const out = auctions
    .keyBy((x) => x.id)
    .connect(bids.keyBy((b) => b.auction))
    .process(new WinningBids())
    .uid('q4-winning-bids')
    .name('WinningBids')
    .keyBy((p) => p.category)
    .process(new RunningAverage())
    .uid('q4-average')
    .name('AveragePerCategory');
  sinkOutputs(out, a);
});

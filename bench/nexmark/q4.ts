// Nexmark q4 (average price per category): auctions and bids keyed by auction id; an auction's final
// price is its highest bid with auction.dateTime <= bid.dateTime <= expires, known when the watermark
// passes `expires` (an event-time timer); then, keyed by category, the running average of final prices.
// args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
//
// Bids may reach the join before their auction (another source subtask, or a bid generated in the same
// millisecond just before its auction): they wait in state (highest price per dateTime) until the auction arrives, or until the
// watermark passes their dateTime (then no auction they could belong to can still come) — a timer at the
// bid's dateTime drops them.
import {
  defineJob,
  ValueStateDescriptor,
  type Auction,
  type Bid,
  type Collector,
  type CoProcessFunction,
  type KeyedProcessFunction,
  type OnTimerContext,
  type ProcessContext,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

interface OpenAuction { id: number; dateTime: number; expires: number; category: number }
interface BidPrice { auction: number; price: number; dateTime: number }
interface FinalPrice { category: number; price: number }
interface Q4Out { category: number; average: number }
/** An auction in state with the highest valid bid so far (-1: none yet). */
interface AuctionState { dateTime: number; expires: number; category: number; maxPrice: number }

/**
 * Keyed by auction id: the auction with its highest valid bid so far and, while the auction has not
 * arrived, the highest price per bid dateTime (a bid's validity depends only on its dateTime). A timer
 * at `expires` closes the auction; a pending entry at time t is dropped by a timer at t (an auction that
 * arrives after the watermark passed t has dateTime > t). The same algorithm as the Flink baseline.
 */
class WinningBids implements CoProcessFunction<OpenAuction, BidPrice, FinalPrice, number> {
  private auction!: ValueState<AuctionState>;
  /** Pending bids before their auction: [dateTime, highest price at that dateTime] pairs. */
  private pending!: ValueState<number[]>;

  open(ctx: RuntimeContext): void {
    this.auction = ctx.getState(new ValueStateDescriptor<AuctionState>('auction'));
    this.pending = ctx.getState(new ValueStateDescriptor<number[]>('pending'));
  }

  processElement1(a: OpenAuction, ctx: ProcessContext<number>, _out: Collector<FinalPrice>): void {
    const s: AuctionState = { dateTime: a.dateTime, expires: a.expires, category: a.category, maxPrice: -1 };
    const pending = this.pending.value();
    if (pending !== undefined) {
      for (let i = 0; i < pending.length; i += 2) {
        const t = pending[i]!;
        if (t >= s.dateTime && t <= s.expires && pending[i + 1]! > s.maxPrice) s.maxPrice = pending[i + 1]!;
      }
      this.pending.clear();
    }
    this.auction.update(s);
    ctx.timerService().registerEventTimeTimer(s.expires);
  }

  processElement2(b: BidPrice, ctx: ProcessContext<number>, _out: Collector<FinalPrice>): void {
    const s = this.auction.value();
    if (s !== undefined) {
      if (b.dateTime >= s.dateTime && b.dateTime <= s.expires && b.price > s.maxPrice) {
        s.maxPrice = b.price;
        this.auction.update(s);
      }
      return;
    }
    const pending = this.pending.value();
    if (pending === undefined) {
      this.pending.update([b.dateTime, b.price]);
      ctx.timerService().registerEventTimeTimer(b.dateTime);
      return;
    }
    for (let i = 0; i < pending.length; i += 2) {
      if (pending[i] === b.dateTime) {
        if (b.price > pending[i + 1]!) {
          pending[i + 1] = b.price;
          this.pending.update(pending);
        }
        return;
      }
    }
    pending.push(b.dateTime, b.price);
    this.pending.update(pending);
    ctx.timerService().registerEventTimeTimer(b.dateTime);
  }

  onTimer(t: number, _ctx: OnTimerContext<number>, out: Collector<FinalPrice>): void {
    const s = this.auction.value();
    if (s === undefined) {
      const pending = this.pending.value();
      if (pending === undefined) return;
      const keep: number[] = [];
      for (let i = 0; i < pending.length; i += 2) if (pending[i] !== t) keep.push(pending[i]!, pending[i + 1]!);
      if (keep.length === 0) this.pending.clear();
      else this.pending.update(keep);
      return;
    }
    if (t !== s.expires) return; // a pending bid's timer from before the auction arrived
    if (s.maxPrice >= 0) out.collect({ category: s.category, price: s.maxPrice });
    this.auction.clear();
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
  // Both inputs fork from the source's output; the fork is chained, so each event is handed to both
  // flatMaps by direct calls in the source task and only the small records cross the network.
  const events = nexmarkEvents(env, a);
  const auctions = events
    .flatMap<OpenAuction>((e, o) => {
      const x = (e as { auction?: Auction }).auction;
      if (x !== undefined) o.collect({ id: x.id, dateTime: x.dateTime, expires: x.expires, category: x.category });
    })
    .name('AuctionTerms');
  const bids = events
    .flatMap<BidPrice>((e, o) => {
      const b = (e as { bid?: Bid }).bid;
      if (b !== undefined) o.collect({ auction: b.auction, price: b.price, dateTime: b.dateTime });
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

// Nexmark q3 (local item suggestion): { name, city, state, id } for each auction of category 10 whose seller
// lives in OR, ID or CA — an incremental join on seller = person.id keeping both sides in keyed state,
// emitting when the second of the two arrives. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import {
  defineJob,
  ListStateDescriptor,
  ValueStateDescriptor,
  type Auction,
  type Collector,
  type CoProcessFunction,
  type ListState,
  type Person,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

interface Seller { id: number; name: string; city: string; state: string }
interface SellerAuction { id: number; seller: number }
interface Q3Out { name: string; city: string; state: string; id: number }

class JoinSellers implements CoProcessFunction<Seller, SellerAuction, Q3Out, number> {
  private person!: ValueState<Seller>;
  private pending!: ListState<number>;

  open(ctx: RuntimeContext): void {
    this.person = ctx.getState(new ValueStateDescriptor<Seller>('person'));
    this.pending = ctx.getListState(new ListStateDescriptor<number>('pending-auctions'));
  }

  processElement1(p: Seller, _ctx: unknown, out: Collector<Q3Out>): void {
    this.person.update(p);
    const waiting = this.pending.get();
    if (waiting.length > 0) {
      for (const id of waiting) out.collect({ name: p.name, city: p.city, state: p.state, id });
      this.pending.clear();
    }
  }

  processElement2(a: SellerAuction, _ctx: unknown, out: Collector<Q3Out>): void {
    const p = this.person.value();
    if (p !== undefined) out.collect({ name: p.name, city: p.city, state: p.state, id: a.id });
    else this.pending.add(a.id);
  }
}

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q3');
  // Both inputs fork from the source's output; the fork is chained, so each event is handed to both
  // flatMaps by direct calls in the source task and only the small records cross the network.
  const events = nexmarkEvents(env, a);
  const persons = events
    .flatMap<Seller>((e, o) => {
      const p = (e as { person?: Person }).person;
      if (p !== undefined && (p.state === 'OR' || p.state === 'ID' || p.state === 'CA')) o.collect({ id: p.id, name: p.name, city: p.city, state: p.state });
    })
    .name('SellersInOrIdCa');
  const auctions = events
    .flatMap<SellerAuction>((e, o) => {
      const x = (e as { auction?: Auction }).auction;
      if (x !== undefined && x.category === 10) o.collect({ id: x.id, seller: x.seller });
    })
    .name('Category10');
  const out = persons
    .keyBy((p) => p.id)
    .connect(auctions.keyBy((x) => x.seller))
    .process(new JoinSellers())
    .uid('q3-join')
    .name('JoinSellers');
  sinkOutputs(out, a);
});

// Nexmark q8 (monitor new users): per tumbling 10 s window, every person who registered in the window and
// opened at least one auction as seller in the same window: a windowed join (coGroup) of persons and
// auctions on person.id = auction.seller. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import { defineJob, TumblingEventTimeWindows, type Auction, type Person } from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

const WINDOW = 10_000;

/** A person (kind 0: id, name) or an auction (kind 1: id = seller), one shape for both. */
interface Relevant { kind: 0 | 1; id: number; name: string; dateTime: number }
interface NewPerson { id: number; name: string; dateTime: number }
interface SellerOf { seller: number }
interface Q8Out { id: number; name: string; windowStart: number }

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q8');
  // One flatMap chained to the source keeps persons and auctions as small records (one shape) before
  // the stream forks into the join's two inputs (chained: both branches run in the source task by direct calls).
  const relevant = nexmarkEvents(env, a)
    .flatMap<Relevant>((e, o) => {
      const p = (e as { person?: Person }).person;
      if (p !== undefined) {
        o.collect({ kind: 0, id: p.id, name: p.name, dateTime: p.dateTime });
        return;
      }
      const x = (e as { auction?: Auction }).auction;
      if (x !== undefined) o.collect({ kind: 1, id: x.seller, name: '', dateTime: x.dateTime });
    })
    .name('PersonsAndSellers');
  const persons = relevant
    .flatMap<NewPerson>((r, o) => {
      if (r.kind === 0) o.collect({ id: r.id, name: r.name, dateTime: r.dateTime });
    })
    .name('NewPersons');
  const sellers = relevant
    .flatMap<SellerOf>((r, o) => {
      if (r.kind === 1) o.collect({ seller: r.id });
    })
    .name('Sellers');
  const out = persons
    .join(sellers)
    .where((p) => p.id)
    .equalTo((s) => s.seller)
    .window(TumblingEventTimeWindows.of(WINDOW))
    .coGroup<Q8Out>((ps, ss, o) => {
      if (ss.length === 0) return;
      // the person registered in this window, so the window starts at dateTime - dateTime mod 10 s
      for (const p of ps) o.collect({ id: p.id, name: p.name, windowStart: p.dateTime - (p.dateTime % WINDOW) });
    })
    .uid('q8-join')
    .name('NewSellers');
  sinkOutputs(out, a);
});

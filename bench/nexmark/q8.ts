// Nexmark q8 (monitor new users): per tumbling 10 s window, every person who registered in the window and
// opened at least one auction as seller in the same window: a windowed join (coGroup) of persons and
// auctions on person.id = auction.seller. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import { defineJob, TumblingEventTimeWindows, type Auction, type Person } from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

const WINDOW = 10_000;

interface Q8Out { id: number; name: string; windowStart: number }

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q8');
  // Both inputs fork from the source's output; the fork is chained, so each event is handed to both
  // flatMaps by direct calls in the source task and only the small records cross the network: a
  // person's output record (it registered in this window, so the window starts at dateTime - dateTime
  // mod 10 s) and a seller id, as the Flink baseline ships them.
  const events = nexmarkEvents(env, a);
  const persons = events
    .flatMap<Q8Out>((e, o) => {
      const p = (e as { person?: Person }).person;
      if (p !== undefined) o.collect({ id: p.id, name: p.name, windowStart: p.dateTime - (p.dateTime % WINDOW) });
    })
    .name('NewPersons');
  const sellers = events
    .flatMap<number>((e, o) => {
      const x = (e as { auction?: Auction }).auction;
      if (x !== undefined) o.collect(x.seller);
    })
    .name('Sellers');
  const out = persons
    .join(sellers)
    .where((p) => p.id)
    .equalTo((seller) => seller)
    .window(TumblingEventTimeWindows.of(WINDOW))
    .coGroup<Q8Out>((ps, ss, o) => {
      if (ss.length === 0) return;
      for (const p of ps) o.collect(p);
    })
    .uid('q8-join')
    .name('NewSellers');
  sinkOutputs(out, a);
});

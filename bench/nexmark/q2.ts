// Nexmark q2 (selection): { auction, price } of bids with auction % 123 == 0. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import { defineJob, nexmarkBids } from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q2');
  const out = nexmarkBids(nexmarkEvents(env, a))
    .flatMap<{ auction: number; price: number }>((b, o) => {
      if (b.auction % 123 === 0) o.collect({ auction: b.auction, price: b.price });
    })
    .name('Select');
  sinkOutputs(out, a);
});

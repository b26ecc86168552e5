// Nexmark q1 (currency conversion): every bid with price * 0.908. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import { defineJob, nexmarkBids } from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q1');
  const out = nexmarkBids(nexmarkEvents(env, a))
    .map((b) => ({ auction: b.auction, bidder: b.bidder, price: b.price * 0.908, channel: b.channel, url: b.url, dateTime: b.dateTime, extra: b.extra }))
    .name('ToEuros');
  sinkOutputs(out, a);
});

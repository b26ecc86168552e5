// A small bounded job across a network exchange; args: [records, records per second].
import { defineJob, DiscardingSink } from '@eddy/sdk';

export default defineJob((env, args) => {
  const records = Number(args[0] ?? 1000);
  const rate = Number(args[1] ?? 0);
  env
    .fromGenerator(records, (i) => i, rate > 0 ? { ratePerSecond: rate } : {})
    .rebalance()
    .map((i) => i * 2)
    .sinkTo(new DiscardingSink());
});

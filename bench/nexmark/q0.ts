// Nexmark q0 (pass-through): every bid, unchanged. args: [events, outputDir?, ratePerSecond?, seed?, eventRate?]
import { defineJob, nexmarkBids } from '@eddy/sdk';
import { nexmarkArgs, nexmarkEvents, sinkOutputs } from './common.js';

export default defineJob((env, args) => {
  const a = nexmarkArgs(args);
  env.setJobName('nexmark-q0');
  sinkOutputs(nexmarkBids(nexmarkEvents(env, a)), a);
});

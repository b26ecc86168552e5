// Source -> map -> sink chained in one task per subtask: no network exchange.
import { defineJob, DiscardingSink } from '@eddy/sdk';

export default defineJob((env) => {
  env
    .fromGenerator(Infinity, (i) => i, { ratePerSecond: 2000 })
    .map((i) => i + 1)
    .sinkTo(new DiscardingSink());
});

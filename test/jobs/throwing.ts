// A user function that throws on one record.
import { defineJob, DiscardingSink } from '@eddy/sdk';

export default defineJob((env) => {
  env
    .fromGenerator(10_000, (i) => i)
    .rebalance()
    .map((i) => {
      if (i === 4321) throw new Error(`cannot handle record ${i}`);
      return i * 2;
    })
    .name('Explode')
    .sinkTo(new DiscardingSink());
});

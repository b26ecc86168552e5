// One record of about 70 MB crosses a shuffle: above the network frame limit of 64 MiB.
import { defineJob, DiscardingSink } from '@eddy/sdk';

export default defineJob((env) => {
  env
    .fromElements(1, 2, 3)
    .setParallelism(1)
    .map((i) => (i === 2 ? { i, blob: 'x'.repeat(70_000_000) } : { i, blob: '' }))
    .name('Inflate')
    .rebalance()
    .map((r) => r.blob.length)
    .setParallelism(2)
    .sinkTo(new DiscardingSink());
});

// A forward edge between operators of different parallelism.
import { defineJob, DiscardingSink } from '@eddy/sdk';

export default defineJob((env) => {
  env.fromElements(1, 2, 3).forward().map((x) => x).setParallelism(2).sinkTo(new DiscardingSink());
});

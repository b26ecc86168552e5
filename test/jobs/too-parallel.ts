// Asks for more slots than a small cluster has.
import { defineJob, DiscardingSink } from '@eddy/sdk';

export default defineJob((env) => {
  env.fromGenerator(10, (i) => i).setParallelism(5).sinkTo(new DiscardingSink()).setParallelism(5);
});

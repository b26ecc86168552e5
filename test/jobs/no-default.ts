// Forgets to export the job.
import { defineJob } from '@eddy/sdk';

export const job = defineJob((env) => {
  env.fromElements(1, 2, 3).print();
});

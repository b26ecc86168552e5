import { defineJob } from '@eddy/sdk';
export default defineJob((env) => {
  env.fromElements(1, 2, 3).print(
});

// A fast unbounded source feeding a sink about 100x slower, across the network (keyBy).
import { defineJob } from '@eddy/sdk';

const pause = new Int32Array(new SharedArrayBuffer(4));

export default defineJob((env) => {
  env
    .fromGenerator(Infinity, (i) => ({ id: i, payload: 'x'.repeat(100) + i }))
    .keyBy((r) => r.id % 1000)
    .sinkTo({
      createWriter: () => ({
        write: () => {
          Atomics.wait(pause, 0, 0, 0.1); // ~10 K records/s per subtask
        },
      }),
      describe: () => 'slow sink',
    })
    .name('SlowSink');
});

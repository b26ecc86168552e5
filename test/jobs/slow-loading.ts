// An unbounded keyed job whose module takes 2 s to load in slot 1 of a TaskManager (and only there:
// not in slot 0, the client or the JobManager), so a test can cancel it while slot 0 runs its tasks
// and slot 1 is still deploying its own.
import { workerData } from 'node:worker_threads';
import { defineJob, DiscardingSink } from '@eddy/sdk';

if ((workerData as { slotIndex?: number } | null)?.slotIndex === 1) await new Promise((r) => setTimeout(r, 2000));

export default defineJob((env) => {
  env
    .fromGenerator(Infinity, (i) => ({ key: i % 10, n: 1 }), { ratePerSecond: 1000 })
    .keyBy((r) => r.key)
    .reduce((a, b) => ({ key: a.key, n: a.n + b.n }))
    .sinkTo(new DiscardingSink());
});

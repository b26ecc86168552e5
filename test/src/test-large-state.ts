import test from 'ava';
import { join } from 'node:path';
import { jobFile, readJsonLines, runToEnd, withCluster } from './helpers/cluster.js';

test('keyed state four times larger than the slot heap lives in LevelDB and every value reads back', async (t) => {
  t.timeout(150_000); // about 15 s on a quiet 2-core machine, 37 s with both cores busy
  const slotHeapMb = 64; // the slot worker's whole V8 heap, young generation included
  const keys = 780_000;
  const valueBytes = 400; // 312 MB of state; the slot reports a heap limit of 72 MiB
  await withCluster({ taskManagers: 1, taskManagerArgs: ['--slot-heap-mb', String(slotHeapMb)] }, async (_c, client, dir) => {
    const out = join(dir, 'out');
    const s = await runToEnd(client, jobFile('large-state.ts'), [String(keys), out, String(valueBytes)], 1);
    t.is(s.state, 'FINISHED', JSON.stringify(s.failure));
    const rows = readJsonLines<{ verified?: number; key?: number; heapLimitBytes?: number }>(out);
    t.deepEqual(rows.filter((r) => r.key !== undefined), [], 'no wrong or missing value');
    const summary = rows.find((r) => r.verified !== undefined)!;
    t.is(summary.verified, keys);
    // The slot's whole heap limit (old + young generation), as V8 reports it inside the worker.
    t.log(`state ${(keys * valueBytes / 2 ** 20).toFixed(0)} MiB, slot heap limit ${(summary.heapLimitBytes! / 2 ** 20).toFixed(0)} MiB`);
    t.true(keys * valueBytes >= 4 * summary.heapLimitBytes!, 'state is at least 4x the heap limit');
  });
});

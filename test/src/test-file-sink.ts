import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines, repoRoot, runToEnd, submit, withCluster } from './helpers/cluster.js';

const wordcount = join(repoRoot, 'examples/wordcount.ts');
const input = join(repoRoot, 'examples/data/words.txt');

test('a job into a FileSink directory that holds an earlier run is rejected at submission and the earlier output is left whole', async (t) => {
  t.timeout(60_000);
  await withCluster({ taskManagers: 1, slotsPerTaskManager: 2 }, async (_c, client, dir) => {
    const out = join(dir, 'out');
    const first = await runToEnd(client, wordcount, [input, out], 2);
    t.is(first.state, 'FINISHED', JSON.stringify(first.failure));
    const before = readJsonLines<unknown>(out).length;
    t.deepEqual(readdirSync(out).filter((f) => f.startsWith('part-')).sort(), ['part-0.jsonl', 'part-1.jsonl']);
    // A second run at a lower parallelism would have left part-1 of the first beside its own part-0.
    const err = await t.throwsAsync(submit(client, wordcount, [input, out], 1));
    t.regex(err!.message, /FileSink directory .*out is not empty .*part-0\.jsonl.*remove it or choose another directory/);
    t.deepEqual(readdirSync(out).filter((f) => f.startsWith('part-')).sort(), ['part-0.jsonl', 'part-1.jsonl']);
    t.is(readJsonLines<unknown>(out).length, before);
  });
});

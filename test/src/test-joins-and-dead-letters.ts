import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobFile, readJsonLines, runToEnd, withCluster } from './helpers/cluster.js';

test('a windowed join pairs exactly the records with equal keys in the same window, at parallelism 1 and 2', async (t) => {
  const n = 4000;
  const expected: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const o = { id: i % 500, time: i * 7 };
      const s = { order: (j * 3) % 500, time: j * 7 + 3 };
      if (o.id === s.order && Math.floor(o.time / 1000) === Math.floor(s.time / 1000)) expected.push(`${o.id}|${o.time}|${s.time}`);
    }
  }
  expected.sort();
  t.true(expected.length > 100);
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of [1, 2]) {
      const out = join(dir, `out-${p}`);
      const st = await runToEnd(client, jobFile('window-join.ts'), [String(n), out], p);
      t.is(st.state, 'FINISHED', JSON.stringify(st.failure));
      t.deepEqual(readJsonLines<{ order: number; orderTime: number; shipTime: number }>(out).map((r) => `${r.order}|${r.orderTime}|${r.shipTime}`).sort(), expected, `p=${p}`);
    }
  });
});

test('malformed input lines and failing records go to dead letters with their reason, and nothing is lost', async (t) => {
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    const input = join(dir, 'in.jsonl');
    const lines: string[] = [];
    for (let n = 0; n < 1000; n++) lines.push(n % 100 === 13 ? `{"n": ${n}, oops` : JSON.stringify({ n }));
    writeFileSync(input, lines.join('\n') + '\n');
    const st = await runToEnd(client, jobFile('dead-letter-source.ts'), [input, join(dir, 'out'), join(dir, 'dead')], 2);
    t.is(st.state, 'FINISHED', JSON.stringify(st.failure));
    const good = readJsonLines<number>(join(dir, 'out')).sort((a, b) => a - b);
    const dead = readJsonLines<{ record: unknown; error: string; operatorName: string }>(join(dir, 'dead'));
    const malformed = dead.filter((d) => typeof d.record === 'string');
    const failed = dead.filter((d) => typeof d.record !== 'string');
    t.is(malformed.length, 10);
    for (const d of malformed) t.regex(d.error, /malformed JSON at .*in\.jsonl:\d+/);
    t.deepEqual(failed.map((d) => (d.record as { n: number }).n).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, n) => n).filter((n) => n % 10 === 7 && n % 100 !== 13));
    for (const d of failed) {
      t.is(d.operatorName, 'Double');
      t.regex(d.error, /^unlucky \d+$/);
    }
    const expectedGood = Array.from({ length: 1000 }, (_, n) => n).filter((n) => n % 100 !== 13 && n % 10 !== 7).map((n) => n * 2);
    t.deepEqual(good, expectedGood);
  });
});

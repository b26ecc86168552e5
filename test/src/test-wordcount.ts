import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobFile, readJsonLines, repoRoot, runToEnd, sinkRecordsIn, sleep, submit, withCluster } from './helpers/cluster.js';

interface Count {
  word: string;
  count: number;
}

function expectedCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of text.toLowerCase().split(/[^a-z']+/).filter((x) => x !== '')) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

function finalCounts(rows: Count[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.word, Math.max(m.get(r.word) ?? 0, r.count));
  return m;
}

const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => a[0].localeCompare(b[0]));

const input = join(repoRoot, 'examples/data/words.txt');

test('word count over a file gives exactly the expected counts at parallelism 1 and 2 across two TaskManagers', async (t) => {
  const expected = expectedCounts(readFileSync(input, 'utf8'));
  await withCluster({ taskManagers: 2 }, async (_cluster, client, dir) => {
    for (const p of [1, 2]) {
      const out = join(dir, `out-p${p}`);
      const status = await runToEnd(client, join(repoRoot, 'examples/wordcount.ts'), [input, out], p);
      t.is(status.state, 'FINISHED', JSON.stringify(status.failure));
      // every subtask reports when it handled its first record and when it ended, within the job's span
      for (const v of status.vertices) {
        for (const st of v.subtasks) {
          if (st.recordsIn > 0) t.true(st.firstRecordTime >= status.startTime && st.firstRecordTime <= st.endTime, `${v.name}[${st.index}] first record`);
          t.true(st.endTime >= status.startTime && st.endTime <= status.endTime, `${v.name}[${st.index}] end time`);
        }
      }
      const rows = readJsonLines<Count>(out);
      t.is(rows.length, [...expected.values()].reduce((a, b) => a + b, 0), `p=${p}: one running count per word occurrence`);
      t.deepEqual(sorted(finalCounts(rows)), sorted(expected), `p=${p}`);
      // Every word's running counts are 1..n with no gap and no duplicate.
      const byWord = new Map<string, number[]>();
      for (const r of rows) {
      const list = byWord.get(r.word);
      if (list) list.push(r.count);
      else byWord.set(r.word, [r.count]);
    }
      for (const [w, counts] of byWord) t.deepEqual(counts.sort((a, b) => a - b), counts.map((_, i) => i + 1), w);
    }
  });
});

test('word count over an unbounded generated stream, cancelled after N records, counts every record exactly once', async (t) => {
  await withCluster({ taskManagers: 2 }, async (_cluster, client, dir) => {
    const out = join(dir, 'out');
    const { jobId } = await submit(client, jobFile('wordcount-generated.ts'), [out], 2);
    const N = 200_000;
    for (;;) {
      const s = await client.status(jobId);
      t.not(s.state, 'FAILED', JSON.stringify(s.failure));
      if (sinkRecordsIn(s) >= N) break;
      await sleep(200);
    }
    await client.cancel(jobId);
    const final = await client.waitForTermination(jobId, undefined, 200);
    t.is(final.state, 'CANCELED');
    const rows = readJsonLines<Count>(out);
    t.true(rows.length >= N, `${rows.length} records written`);
    const byWord = new Map<string, number[]>();
    for (const r of rows) {
      const list = byWord.get(r.word);
      if (list) list.push(r.count);
      else byWord.set(r.word, [r.count]);
    }
    t.is(byWord.size, 61);
    let total = 0;
    for (const [w, counts] of byWord) {
      counts.sort((a, b) => a - b);
      t.deepEqual(counts, counts.map((_, i) => i + 1), `counts of ${w} are consecutive`);
      total += counts.length;
    }
    t.is(total, rows.length);
  });
});

test('union, broadcast and rebalance deliver every record to the right subtasks', async (t) => {
  await withCluster({ taskManagers: 2 }, async (_cluster, client, dir) => {
    const out = join(dir, 'out');
    const status = await runToEnd(client, jobFile('union-broadcast.ts'), [out], 2);
    t.is(status.state, 'FINISHED', JSON.stringify(status.failure));
    const { readdirSync } = await import('node:fs');
    const lines = readdirSync(out).filter((f) => !f.startsWith('.')).flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean));
    const expected = [...['A1', 'A2', 'A3'], ...Array.from({ length: 100 }, (_, i) => `B${i}`), 'rule', 'rule'].sort();
    t.deepEqual(lines.sort(), expected);
  });
});

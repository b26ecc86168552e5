import test from 'ava';
import { join } from 'node:path';
import { jobFile, readJsonLines, runToEnd, withCluster } from './helpers/cluster.js';
import { ev, isOld, type Ev, type WindowIds } from './fixtures/late-window-input.js';

const PARALLELISMS = [1, 2];
const numeric = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

// ---- ctx.output to a named side output (test/jobs/side-output-odd.ts) ----

test('a process function sends even numbers to the main output and odd ones to a side output, both exactly', async (t) => {
  t.timeout(60_000);
  const count = 10_000;
  const values = Array.from({ length: count }, (_, i) => i * 7 + 1);
  const evens = values.filter((v) => v % 2 === 0);
  const odds = values.filter((v) => v % 2 !== 0);
  t.true(evens.length > 1_000 && odds.length > 1_000);
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of PARALLELISMS) {
      const [mainOut, oddOut] = [join(dir, `even-p${p}`), join(dir, `odd-p${p}`)];
      const started = Date.now();
      const s = await runToEnd(client, jobFile('side-output-odd.ts'), [mainOut, oddOut, String(count)], p);
      t.log(`p=${p}: ${s.state} in ${Date.now() - started} ms`);
      t.is(s.state, 'FINISHED', `p=${p}: ${JSON.stringify(s.failure)}`);
      t.deepEqual(numeric(readJsonLines<number>(mainOut)), evens, `p=${p}: main output`);
      t.deepEqual(numeric(readJsonLines<number>(oddOut)), odds, `p=${p}: side output 'odd'`);
    }
  });
});

// ---- dead letters from a throwing map (test/jobs/side-output-dead-letters.ts) ----

interface DeadLetter {
  record: unknown;
  error: string;
  stack: string;
  operatorId: string;
  operatorName: string;
}

test('a map that throws on some records with dead letters finishes, and the dead letters hold exactly the failed records with their error', async (t) => {
  t.timeout(60_000);
  const count = 10_000;
  const fails = (n: number): boolean => n % 97 === 13;
  const ok = numeric(Array.from({ length: count }, (_, i) => i).filter((i) => !fails(i)).map((i) => i * 3));
  const failed = Array.from({ length: count }, (_, i) => i).filter(fails);
  t.is(failed.length, 103);
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of PARALLELISMS) {
      const [mainOut, deadOut] = [join(dir, `ok-p${p}`), join(dir, `dead-p${p}`)];
      const started = Date.now();
      const s = await runToEnd(client, jobFile('side-output-dead-letters.ts'), [mainOut, deadOut, String(count)], p);
      t.log(`p=${p}: ${s.state} in ${Date.now() - started} ms`);
      t.is(s.state, 'FINISHED', `p=${p}: ${JSON.stringify(s.failure)}`);
      t.deepEqual(numeric(readJsonLines<number>(mainOut)), ok, `p=${p}: main output`);
      const letters = readJsonLines<DeadLetter>(deadOut).sort((a, b) => (a.record as { n: number }).n - (b.record as { n: number }).n);
      t.deepEqual(
        letters.map((l) => l.record),
        failed.map((n) => ({ n })),
        `p=${p}: dead-letter records`,
      );
      for (const l of letters) {
        const n = (l.record as { n: number }).n;
        t.is(l.error, `cannot handle record ${n}`, `p=${p}: error of record ${n}`);
        t.is(l.operatorName, 'Fragile', `p=${p}: operator name of record ${n}`);
        t.true(typeof l.operatorId === 'string' && l.operatorId !== '', `p=${p}: operator id of record ${n}`);
        t.true(typeof l.stack === 'string' && l.stack.includes(`cannot handle record ${n}`), `p=${p}: stack of record ${n}: ${l.stack}`);
      }
      t.is(new Set(letters.map((l) => l.operatorId)).size, 1, `p=${p}: one operator id`);
    }
  });
});

// ---- late window data to a side output (test/jobs/side-output-late.ts) ----

const SIZE = 1_000;

test('late records of a tumbling event-time window go to the late side output, and every record is counted exactly once', async (t) => {
  t.timeout(60_000);
  const [count, rate] = [6_000, 2_000];
  const events = Array.from({ length: count }, (_, i) => ev(i));
  // The old records are 4,000 records (2 s at the source's rate) behind the stream: once the source has
  // run for a second (records from 2,000 on), the watermark has passed their windows unless it lags
  // by seconds. Before that they may still find their window open.
  const clearlyLate = events.filter((e) => isOld(e.i) && e.i >= 2_000).map((e) => e.i);
  t.is(clearlyLate.length, 80);
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of PARALLELISMS) {
      const [windowsOut, lateOut] = [join(dir, `windows-p${p}`), join(dir, `late-p${p}`)];
      const started = Date.now();
      const s = await runToEnd(client, jobFile('side-output-late.ts'), [windowsOut, lateOut, String(count), String(rate)], p);
      t.log(`p=${p}: ${s.state} in ${Date.now() - started} ms`);
      t.is(s.state, 'FINISHED', `p=${p}: ${JSON.stringify(s.failure)}`);
      const windows = readJsonLines<WindowIds>(windowsOut);
      const late = readJsonLines<Ev>(lateOut);

      // Every record exactly once: in one window or in the late output.
      const seen = [...windows.flatMap((w) => w.ids), ...late.map((e) => e.i)];
      t.deepEqual(numeric(seen), events.map((e) => e.i), `p=${p}: every record exactly once`);

      // The late output holds the records as they were, only old ones, and every clearly late one.
      const lateIds = new Set(late.map((e) => e.i));
      t.deepEqual([...late].sort((a, b) => a.i - b.i), events.filter((e) => lateIds.has(e.i)), `p=${p}: late records unchanged`);
      t.deepEqual(numeric([...lateIds].filter((i) => !isOld(i))), [], `p=${p}: in-order records are never late`);
      t.deepEqual(numeric(clearlyLate.filter((i) => !lateIds.has(i))), [], `p=${p}: clearly late records missing from the late output`);
      t.log(`p=${p}: ${late.length} late records (${clearlyLate.length} clearly late, ${events.filter((e) => isOld(e.i)).length} old)`);

      // The windows are exactly the reference windows of the records that were not late.
      const expected = new Map<string, WindowIds>();
      for (const e of events) {
        if (lateIds.has(e.i)) continue;
        const start = e.t - (((e.t % SIZE) + SIZE) % SIZE);
        const id = `${e.key}|${start}`;
        const w = expected.get(id) ?? { key: e.key, start, end: start + SIZE, ids: [] };
        w.ids.push(e.i);
        expected.set(id, w);
      }
      const norm = (ws: WindowIds[]): WindowIds[] =>
        ws.map((w) => ({ ...w, ids: numeric(w.ids) })).sort((a, b) => a.key.localeCompare(b.key) || a.start - b.start);
      t.deepEqual(norm(windows), norm([...expected.values()]), `p=${p}: window contents`);
    }
  });
});

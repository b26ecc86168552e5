/**
 * Every Nexmark job (bench/nexmark/qX.ts) on a real cluster (2 TaskManagers, parallelism 2) produces
 * exactly the output of the limit (bench/src/limit: one plain loop over the generator in this process,
 * an independent implementation), compared as docs/nexmark-queries.md says (bench/src/nexmark-outputs).
 *
 * Inputs: 200,000 events. q0–q4 use the spec's event-time rate (100,000 events/s, so 2 s of event
 * time: q4's auctions live ~33 ms, so thousands close). The windowed queries q5, q7, q8 use an
 * event-time rate of 4,000 events/s (job arg 5, the limit's config.rate), i.e. 50 s of event time:
 * 5+ tumbling 10 s windows for q7 and q8, ~29 sliding windows for q5.
 */
import test from 'ava';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readJsonLines, repoRoot, runToEnd, withCluster } from './helpers/cluster.js';

interface LimitModule {
  runLimit(query: string, o: { events: number; seed?: number; config?: { rate?: number }; collect?: (r: unknown) => void }): { outputs: number };
}
interface OutputsModule {
  compareOutputs(query: string, left: readonly unknown[], right: readonly unknown[]): { equal: boolean; summary: string };
}

const bench = (path: string): Promise<unknown> => import(pathToFileURL(join(repoRoot, 'bench/lib', path)).href);

const EVENTS = 200_000;
const CASES: { query: string; eventRate?: number; minWindows?: number }[] = [
  { query: 'q0' },
  { query: 'q1' },
  { query: 'q2' },
  { query: 'q3' },
  { query: 'q4' },
  { query: 'q5', eventRate: 4000, minWindows: 20 },
  { query: 'q7', eventRate: 4000, minWindows: 5 },
  { query: 'q8', eventRate: 4000, minWindows: 5 },
];

test('every Nexmark job at parallelism 2 on two TaskManagers produces exactly the limit output', async (t) => {
  const { runLimit } = (await bench('limit/queries.js')) as LimitModule;
  const { compareOutputs } = (await bench('nexmark-outputs.js')) as OutputsModule;
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const c of CASES) {
      const out = join(dir, c.query);
      const args = [String(EVENTS), out, '', '', c.eventRate === undefined ? '' : String(c.eventRate)];
      const started = Date.now();
      const s = await runToEnd(client, join(repoRoot, 'bench/nexmark', `${c.query}.ts`), args, 2);
      t.is(s.state, 'FINISHED', `${c.query}: ${JSON.stringify(s.failure)}`);
      const got = readJsonLines<Record<string, unknown>>(out);
      const expected: unknown[] = [];
      runLimit(c.query, { events: EVENTS, ...(c.eventRate ? { config: { rate: c.eventRate } } : {}), collect: (r) => expected.push(r) });
      t.true(expected.length > 0, `${c.query}: the limit produced no output`);
      t.true(got.length > 0, `${c.query}: the job produced no output`);
      const cmp = compareOutputs(c.query, got, expected);
      t.true(cmp.equal, cmp.summary);
      if (c.minWindows !== undefined) {
        const windows = new Set(got.map((r) => r.windowEnd ?? r.windowStart));
        t.true(windows.size >= c.minWindows, `${c.query}: only ${windows.size} windows`);
      }
      t.log(`${c.query}: ${got.length} outputs, equal to the limit (${Date.now() - started} ms)`);
    }
  });
});

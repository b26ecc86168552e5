import test from 'ava';
import { join } from 'node:path';
import { jobFile, readJsonLines, runToEnd, withCluster } from './helpers/cluster.js';

interface Summary {
  key: string;
  start: number;
  end: number;
  sum: number;
  count: number;
}

const COUNT = 3_000;

// The readings of test/jobs/window-sums.ts, computed here independently of the engine.
const readings = Array.from({ length: COUNT }, (_, i) => ({
  key: `k${i % 7}`,
  ts: i * 10 + Math.floor(i / 300) * 5_000 + ((i * 7919) % 50),
  v: 1 + (i % 10),
}));

function aligned(size: number, slide: number, withCount: boolean): Summary[] {
  const m = new Map<string, Summary>();
  for (const r of readings) {
    for (let start = Math.floor(r.ts / slide) * slide; start > r.ts - size; start -= slide) {
      const id = `${r.key}|${start}`;
      const s = m.get(id) ?? { key: r.key, start, end: start + size, sum: 0, count: withCount ? 0 : -1 };
      m.set(id, { ...s, sum: s.sum + r.v, count: withCount ? s.count + 1 : -1 });
    }
  }
  return [...m.values()];
}

function sessions(gap: number): Summary[] {
  const out: Summary[] = [];
  for (let k = 0; k < 7; k++) {
    const recs = readings.filter((r) => r.key === `k${k}`).sort((a, b) => a.ts - b.ts);
    let cur: Summary | undefined;
    for (const r of recs) {
      if (cur && r.ts <= cur.end) cur = { ...cur, end: Math.max(cur.end, r.ts + gap), sum: cur.sum + r.v, count: cur.count + 1 };
      else {
        if (cur) out.push(cur);
        cur = { key: r.key, start: r.ts, end: r.ts + gap, sum: r.v, count: 1 };
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}

const sorted = (rows: Summary[]): Summary[] => [...rows].sort((a, b) => a.key.localeCompare(b.key) || a.start - b.start || a.end - b.end);

const CASES: [string, Summary[]][] = [
  ['tumbling', aligned(1_000, 1_000, false)],
  ['sliding', aligned(1_000, 250, true)],
  ['session', sessions(500)],
];

test('keyed tumbling, sliding and session event-time windows give the reference results at parallelism 1, 2 and 3', async (t) => {
  t.timeout(240_000);
  t.true(CASES[2]![1].length >= 70, 'the reference has several sessions per key');
  await withCluster({ taskManagers: 2, slotsPerTaskManager: 2 }, async (_cluster, client, dir) => {
    for (const [kind, expected] of CASES) {
      for (const p of [1, 2, 3]) {
        const out = join(dir, `${kind}-p${p}`);
        const status = await runToEnd(client, jobFile('window-sums.ts'), [out, kind, String(COUNT)], p);
        t.is(status.state, 'FINISHED', `${kind} p=${p}: ${JSON.stringify(status.failure)}`);
        t.deepEqual(sorted(readJsonLines<Summary>(out)), sorted(expected), `${kind} at parallelism ${p}`);
      }
    }
  });
});

import test from 'ava';
import { join } from 'node:path';
import { readJsonLines, repoRoot, runToEnd, withCluster } from './helpers/cluster.js';

interface PageCount {
  page: string;
  windowStart: number;
  windowEnd: number;
  clicks: number;
}

const PAGES = ['/', '/search', '/cart', '/checkout', '/help', '/account', '/item/1', '/item/2'];

/** The input of examples/clickstream.ts (the same deterministic generator). */
function click(i: number): { page: string; time: number } {
  let h = Math.imul(i + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = (h ^ (h >>> 13)) >>> 0;
  return { page: PAGES[(h >>> 8) % PAGES.length]!, time: 1_700_000_000_000 + i * 10 - ((h >>> 4) % 2000) };
}

function expected(n: number): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = click(i);
    const start = c.time - (c.time % 10_000);
    const k = `${c.page}|${start}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${k}|${v}`).sort();
}

test('the clickstream example counts clicks per page and 10 s window exactly, at parallelism 1 and 2', async (t) => {
  const n = 50_000;
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of [1, 2]) {
      const out = join(dir, `out-${p}`);
      const s = await runToEnd(client, join(repoRoot, 'examples/clickstream.ts'), [String(n), out], p);
      t.is(s.state, 'FINISHED', JSON.stringify(s.failure));
      const got = readJsonLines<PageCount>(out).map((r) => `${r.page}|${r.windowStart}|${r.clicks}`).sort();
      t.deepEqual(got, expected(n), `p=${p}`);
    }
  });
});

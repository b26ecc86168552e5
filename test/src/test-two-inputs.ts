import test from 'ava';
import { join } from 'node:path';
import { jobFile, readJsonLines, runToEnd, withCluster } from './helpers/cluster.js';
import { leftEvent, rightEvent, type Pair } from './fixtures/interval-join-input.js';

const PARALLELISMS = [1, 2];

// ---- keyed connect + co-process (test/jobs/two-input-coprocess.ts), computed independently ----

interface Paid {
  orderId: number;
  customer: string;
  amount: number;
}

function expectedPaid(count: number): Paid[] {
  const paid: Paid[] = [];
  const seen = new Set<number>();
  for (let j = 0; j < count; j++) {
    const orderId = (j * 7919) % count;
    seen.add(orderId);
    if (orderId % 5 !== 0) paid.push({ orderId, customer: `c${orderId % 37}`, amount: 1 + (orderId % 100) });
  }
  if (seen.size !== count) throw new Error('payments are not a permutation of the orders');
  return paid;
}

const byOrder = (rows: Paid[]): Paid[] => [...rows].sort((a, b) => a.orderId - b.orderId);

test('keyed connect with a co-process function and value state emits every paid order exactly once, whichever side arrives first', async (t) => {
  t.timeout(60_000);
  const count = 20_000;
  const expected = byOrder(expectedPaid(count));
  t.is(expected.length, count - count / 5);
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of PARALLELISMS) {
      const out = join(dir, `paid-p${p}`);
      const started = Date.now();
      const s = await runToEnd(client, jobFile('two-input-coprocess.ts'), [out, String(count)], p);
      t.log(`p=${p}: ${s.state} in ${Date.now() - started} ms`);
      t.is(s.state, 'FINISHED', `p=${p}: ${JSON.stringify(s.failure)}`);
      const rows = readJsonLines<Paid & { first: string }>(out);
      const paymentFirst = rows.filter((r) => r.first === 'payment').length;
      t.log(`p=${p}: ${rows.length} matches, ${paymentFirst} with the payment first, ${rows.length - paymentFirst} with the order first`);
      t.deepEqual(byOrder(rows.map(({ orderId, customer, amount }) => ({ orderId, customer, amount }))), expected, `p=${p}`);
    }
  });
});

// ---- non-keyed connect (test/jobs/two-input-connect.ts) ----

type Tagged = { input: 1; value: number } | { input: 2; value: string };

const taggedKey = (r: Tagged): string => `${r.input}:${typeof r.value}:${r.value}`;

test('non-keyed connect forwarding both inputs tagged outputs exactly the union of both inputs', async (t) => {
  t.timeout(60_000);
  const [n1, n2] = [5_000, 3_000];
  const expected = [
    ...Array.from({ length: n1 }, (_, i): Tagged => ({ input: 1, value: i * 3 })),
    ...Array.from({ length: n2 }, (_, i): Tagged => ({ input: 2, value: `s${i}` })),
  ]
    .map(taggedKey)
    .sort();
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of PARALLELISMS) {
      const out = join(dir, `tagged-p${p}`);
      const started = Date.now();
      const s = await runToEnd(client, jobFile('two-input-connect.ts'), [out, String(n1), String(n2)], p);
      t.log(`p=${p}: ${s.state} in ${Date.now() - started} ms`);
      t.is(s.state, 'FINISHED', `p=${p}: ${JSON.stringify(s.failure)}`);
      t.deepEqual(readJsonLines<Tagged>(out).map(taggedKey).sort(), expected, `p=${p}`);
    }
  });
});

// ---- interval join (test/jobs/two-input-interval-join.ts) ----

function expectedPairs(nl: number, nr: number, lower: number, upper: number): Pair[] {
  const left = Array.from({ length: nl }, (_, i) => leftEvent(i));
  const right = Array.from({ length: nr }, (_, j) => rightEvent(j));
  const pairs: Pair[] = [];
  for (const l of left) {
    for (const r of right) {
      if (r.key === l.key && r.t >= l.t + lower && r.t <= l.t + upper) {
        pairs.push({ l: l.id, r: r.id, key: l.key, lt: l.t, rt: r.t, ts: Math.max(l.t, r.t) });
      }
    }
  }
  return pairs;
}

const byPair = (rows: Pair[]): Pair[] => [...rows].sort((a, b) => a.l - b.l || a.r - b.r);

test('interval join of two event-time streams gives exactly the pairs with the same key and the right time within the bounds', async (t) => {
  t.timeout(60_000);
  const [nl, nr, lower, upper] = [3_000, 2_000, -22, 38];
  const expected = byPair(expectedPairs(nl, nr, lower, upper));
  t.true(expected.length > 500, `${expected.length} pairs expected`);
  // Both bounds are reachable, so an off-by-one at either end would show.
  t.true(expected.some((x) => x.rt - x.lt === lower) && expected.some((x) => x.rt - x.lt === upper), 'pairs exactly at both bounds');
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of PARALLELISMS) {
      const out = join(dir, `pairs-p${p}`);
      const started = Date.now();
      const s = await runToEnd(client, jobFile('two-input-interval-join.ts'), [out, String(nl), String(nr), String(lower), String(upper)], p);
      t.log(`p=${p}: ${s.state} in ${Date.now() - started} ms`);
      t.is(s.state, 'FINISHED', `p=${p}: ${JSON.stringify(s.failure)}`);
      t.deepEqual(byPair(readJsonLines<Pair>(out)), expected, `p=${p}`);
    }
  });
});

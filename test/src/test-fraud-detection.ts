import test from 'ava';
import { join } from 'node:path';
import { readJsonLines, repoRoot, runToEnd, withCluster } from './helpers/cluster.js';

interface Transaction {
  account: number;
  amount: number;
  time: number;
}
interface Alert {
  account: number;
  smallAt: number;
  largeAt: number;
  amount: number;
}

/** The input of examples/fraud-detection.ts (the same deterministic generator). */
function transaction(i: number): Transaction {
  let h = Math.imul(i + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  const account = h % 200;
  const kind = (h >>> 10) % 100;
  const amount = kind < 5 ? 0.5 : kind < 10 ? 750 : 20 + ((h >>> 17) % 200);
  return { account, amount, time: 1_700_000_000_000 + i * 100 };
}

/** The alerts, computed independently: per account, walk its transactions in time order. */
function expectedAlerts(count: number): Alert[] {
  const byAccount = new Map<number, Transaction[]>();
  for (let i = 0; i < count; i++) {
    const t = transaction(i);
    const list = byAccount.get(t.account);
    if (list) list.push(t);
    else byAccount.set(t.account, [t]);
  }
  const alerts: Alert[] = [];
  for (const txs of byAccount.values()) {
    let smallAt: number | undefined;
    for (const t of txs) {
      if (smallAt !== undefined && t.time >= smallAt + 60_000) smallAt = undefined; // the timer cleared it
      if (smallAt !== undefined) {
        if (t.amount > 500) alerts.push({ account: t.account, smallAt, largeAt: t.time, amount: t.amount });
        smallAt = undefined;
      }
      if (t.amount < 1) smallAt = t.time;
    }
  }
  return alerts;
}

const key = (a: Alert): string => `${a.account}:${a.smallAt}:${a.largeAt}`;

test('fraud detection raises exactly the expected alerts at parallelism 1 and 2, with LevelDB state', async (t) => {
  const count = 60_000;
  const expected = expectedAlerts(count).map(key).sort();
  t.true(expected.length > 50, `${expected.length} alerts expected`);
  await withCluster({ taskManagers: 2 }, async (_c, client, dir) => {
    for (const p of [1, 2]) {
      const out = join(dir, `alerts-${p}`);
      const s = await runToEnd(client, join(repoRoot, 'examples/fraud-detection.ts'), [String(count), out], p);
      t.is(s.state, 'FINISHED', JSON.stringify(s.failure));
      t.deepEqual(readJsonLines<Alert>(out).map(key).sort(), expected, `p=${p}`);
    }
  });
});

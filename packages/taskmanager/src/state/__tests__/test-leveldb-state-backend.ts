/** LevelDB-specific behaviour: the bounded cache, the write buffer, flushing and reopening. */
import test from 'ava';
import { createKeyedStateBackend } from '../state-backend-factory.js';
import type { KeyedStateBackend } from '../keyed-state-backend.js';
import type { TableKeyedStateBackend } from '../table-keyed-state-backend.js';
import type { LevelDbStateTable } from '../leveldb-state-table.js';
import { FULL_RANGE, tempDir } from './backend-fixtures.js';

function tableOf(b: KeyedStateBackend): LevelDbStateTable {
  return (b as TableKeyedStateBackend).table as LevelDbStateTable;
}

async function open(dir: string, cacheEntries: number, writeBufferEntries = 1000): Promise<KeyedStateBackend> {
  return createKeyedStateBackend({ kind: 'leveldb', dir, maxParallelism: 128, keyGroupRange: FULL_RANGE, cacheEntries, writeBufferEntries });
}

const valueOf = (k: number) => ({ k, s: `value-${k}`.repeat(k % 5), d: k / 7, ok: k % 2 === 0, nil: null, arr: [k, 0 - k] }) // 0 - 0 is +0: -0 decodes as 0;

test('leveldb: values written, flushed, evicted and read back through a small cache are equal', async (t) => {
  const b = await open(tempDir(t), 100, 500);
  t.teardown(() => b.close());
  const v = b.getValueState('op', { kind: 'value', name: 'v' });
  const n = 5000;
  for (let k = 0; k < n; k++) {
    b.setCurrentKey(k);
    v.update(valueOf(k));
    await b.maybeFlush();
  }
  await b.flush();
  t.true(tableOf(b).cachedEntries <= 100);
  const missesBefore = tableOf(b).misses;
  for (let k = 0; k < n; k++) {
    b.setCurrentKey(k);
    t.deepEqual(v.value(), valueOf(k));
    await b.maybeFlush();
  }
  t.true(tableOf(b).misses - missesBefore > n / 2);
  t.true(tableOf(b).cachedEntries <= 100 + 1);
});

test('leveldb: dirty entries are never evicted before they are written', async (t) => {
  const b = await open(tempDir(t), 10, 1_000_000);
  t.teardown(() => b.close());
  const v = b.getValueState<number>('op', { kind: 'value', name: 'v' });
  for (let k = 0; k < 2000; k++) {
    b.setCurrentKey(k);
    v.update(k);
  }
  const pending = b.maybeFlush(); // over the cache limit: must write before evicting
  t.truthy(pending);
  for (let k = 0; k < 2000; k++) {
    b.setCurrentKey(k);
    t.is(v.value(), k);
  }
  await pending;
  for (let k = 0; k < 2000; k++) {
    b.setCurrentKey(k);
    t.is(v.value(), k);
  }
});

test('leveldb: maybeFlush returns undefined under its limits and a promise over the write buffer', async (t) => {
  const b = await open(tempDir(t), 1000, 10);
  t.teardown(() => b.close());
  const v = b.getValueState<number>('op', { kind: 'value', name: 'v' });
  for (let k = 0; k < 5; k++) {
    b.setCurrentKey(k);
    v.update(k);
  }
  t.is(b.maybeFlush(), undefined);
  for (let k = 5; k < 10; k++) {
    b.setCurrentKey(k);
    v.clear();
  }
  const p = b.maybeFlush();
  t.truthy(p);
  await p;
  t.is(b.maybeFlush(), undefined);
});

test('leveldb: a reopened backend reads every kind of state back with stable state ids', async (t) => {
  const dir = tempDir(t);
  const reduce = (a: unknown, c: unknown) => (a as number) + (c as number);
  const aggregate = { createAccumulator: () => 0, add: (v: unknown, a: unknown) => (a as number) + (v as number), getResult: (a: unknown) => a };
  const first = await open(dir, 50);
  {
    const v = first.getValueState('op-a', { kind: 'value', name: 'v' });
    const l = first.getListState('op-a', { kind: 'list', name: 'l' });
    const m = first.getMapState('op-b', { kind: 'map', name: 'm' });
    const r = first.getReducingState('op-b', { kind: 'reducing', name: 'r', reduce });
    const g = first.getAggregatingState('op-c', { kind: 'aggregating', name: 'g', aggregate });
    for (let k = 0; k < 300; k++) {
      first.setCurrentKey(`key-${k}`);
      v.update(valueOf(k));
      l.addAll([k, `${k}`]);
      m.put(k, k * 2);
      m.put(`x${k}`, null);
      r.add(k);
      r.add(1);
      g.add(k);
      await first.maybeFlush();
    }
  }
  await first.close();

  const second = await open(dir, 50);
  t.teardown(() => second.close());
  // Registered in another order and with a new state first: ids must come from the database.
  const extra = second.getValueState('op-z', { kind: 'value', name: 'new' });
  const g = second.getAggregatingState('op-c', { kind: 'aggregating', name: 'g', aggregate });
  const r = second.getReducingState('op-b', { kind: 'reducing', name: 'r', reduce });
  t.throws(() => second.getValueState('op-b', { kind: 'value', name: 'm' }), { message: /registered as map state/ });
  const m = second.getMapState<unknown, unknown>('op-b', { kind: 'map', name: 'm' });
  const l = second.getListState('op-a', { kind: 'list', name: 'l' });
  const v = second.getValueState('op-a', { kind: 'value', name: 'v' });
  for (let k = 0; k < 300; k++) {
    second.setCurrentKey(`key-${k}`);
    t.is(extra.value(), undefined);
    t.deepEqual(v.value(), valueOf(k));
    t.deepEqual(l.get(), [k, `${k}`]);
    t.deepEqual(new Map(m.entries()), new Map<unknown, unknown>([[k, k * 2], [`x${k}`, null]]));
    t.is(r.get(), k + 1);
    t.is(g.get(), k);
  }
});

/** The same suite over both backends: every state kind, namespaces, key groups, TTL, errors. */
import test from 'ava';
import type { AggregateFunction } from '@eddy/common';
import { assignToKeyGroup } from '@eddy/common';
import { ManualClock, keysWhere, openBackend } from './backend-fixtures.js';

const avg: AggregateFunction<unknown, unknown, unknown> = {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  add: (v, acc) => {
    const a = acc as { sum: number; n: number };
    return { sum: a.sum + (v as number), n: a.n + 1 };
  },
  getResult: (acc) => (acc as { sum: number; n: number }).sum / (acc as { n: number }).n,
};

/** The LevelDB variant with a one-entry cache reads back from disk after every flush. */
const variants = [
  { label: 'heap', kind: 'heap', options: {} },
  { label: 'leveldb', kind: 'leveldb', options: {} },
  { label: 'leveldb with a one-entry cache', kind: 'leveldb', options: { cacheEntries: 1, writeBufferEntries: 1 } },
] as const;

for (const { label, kind, options } of variants) {
  test(`${label}: value state updates, reads, clears and returns the default value when absent`, async (t) => {
    const b = await openBackend(t, kind, options);
    const s = b.getValueState<{ n: number; tags: string[] }>('op', { kind: 'value', name: 'v' });
    const d = b.getValueState<number>('op', { kind: 'value', name: 'd', defaultValue: 7 });
    b.setCurrentKey('a');
    t.is(s.value(), undefined);
    t.is(d.value(), 7);
    s.update({ n: 1.5, tags: ['x', 'ü'] });
    d.update(3);
    await b.flush();
    t.deepEqual(s.value(), { n: 1.5, tags: ['x', 'ü'] });
    t.is(d.value(), 3);
    d.clear();
    t.is(d.value(), 7);
    s.clear();
    t.is(s.value(), undefined);
  });

  test(`${label}: list state adds, adds all, updates, reads and clears`, async (t) => {
    const b = await openBackend(t, kind, options);
    const s = b.getListState<string>('op', { kind: 'list', name: 'l' });
    b.setCurrentKey(1);
    t.deepEqual(s.get(), []);
    s.add('a');
    s.addAll(['b', 'c']);
    await b.flush();
    s.add('d');
    t.deepEqual(s.get(), ['a', 'b', 'c', 'd']);
    s.update(['z']);
    t.deepEqual(s.get(), ['z']);
    s.clear();
    t.deepEqual(s.get(), []);
  });

  test(`${label}: list state with an element codec round-trips its elements`, async (t) => {
    const codec = { encode: (v: unknown) => Buffer.from(String(v)), decode: (b: Uint8Array) => Number(Buffer.from(b).toString()) };
    const b = await openBackend(t, kind, options);
    const s = b.getListState<number>('op', { kind: 'list', name: 'l', codec });
    b.setCurrentKey('k');
    s.addAll([1, 2.5, -3]);
    await b.flush();
    t.deepEqual(s.get(), [1, 2.5, -3]);
  });

  test(`${label}: map state puts, gets, removes, lists its entries and clears`, async (t) => {
    const b = await openBackend(t, kind, options);
    const s = b.getMapState<unknown, number>('op', { kind: 'map', name: 'm' });
    b.setCurrentKey('user');
    t.true(s.isEmpty());
    s.put('a', 1);
    s.put(2, 2);
    s.putAll([[{ y: 1, x: [true] }, 3], [true, 4], [10n, 5]]);
    await b.flush();
    t.is(s.get('a'), 1);
    t.is(s.get({ x: [true], y: 1 }), 3);
    t.true(s.contains(2));
    t.false(s.contains('b'));
    t.false(s.isEmpty());
    s.put('a', 10);
    s.remove(2);
    const sortKey = (e: readonly [unknown, unknown]) => String(e[1]);
    const expected: [unknown, number][] = [
      ['a', 10],
      [{ x: [true], y: 1 }, 3],
      [true, 4],
      [10n, 5],
    ];
    const bySortKey = (x: readonly [unknown, unknown], y: readonly [unknown, unknown]) => sortKey(x).localeCompare(sortKey(y));
    t.deepEqual(s.entries().sort(bySortKey), expected.sort(bySortKey));
    t.deepEqual(s.values().sort(), [10, 3, 4, 5].sort());
    t.is(s.keys().length, 4);
    s.clear();
    t.true(s.isEmpty());
    t.is(s.get('a'), undefined);
    t.deepEqual(s.entries(), []);
  });

  test(`${label}: reducing state applies the reduce function on add`, async (t) => {
    const b = await openBackend(t, kind, options);
    const s = b.getReducingState<number>('op', { kind: 'reducing', name: 'r', reduce: (a, c) => (a as number) + (c as number) });
    b.setCurrentKey('k');
    t.is(s.get(), undefined);
    s.add(1);
    s.add(2);
    await b.flush();
    s.add(3.25);
    t.is(s.get(), 6.25);
    s.clear();
    t.is(s.get(), undefined);
  });

  test(`${label}: aggregating state keeps the accumulator and returns its result`, async (t) => {
    const b = await openBackend(t, kind, options);
    const s = b.getAggregatingState<number, number>('op', { kind: 'aggregating', name: 'a', aggregate: avg });
    b.setCurrentKey('k');
    t.is(s.get(), undefined);
    s.add(1);
    await b.flush();
    s.add(4);
    t.is(s.get(), 2.5);
  });

  test(`${label}: namespaces isolate the state of different windows`, async (t) => {
    const b = await openBackend(t, kind, options);
    const v = b.getValueState<number>('op', { kind: 'value', name: 'v' });
    const m = b.getMapState<string, number>('op', { kind: 'map', name: 'm' });
    b.setCurrentKey('k');
    for (const ns of ['', '0-1000', '1000-2000', 'fenêtre']) {
      v.setNamespace(ns);
      m.setNamespace(ns);
      v.update(ns.length);
      m.put('x', ns.length);
    }
    await b.flush();
    for (const ns of ['fenêtre', '1000-2000', '0-1000', '']) {
      v.setNamespace(ns);
      m.setNamespace(ns);
      t.is(v.getNamespace(), ns);
      t.is(v.value(), ns.length);
      t.deepEqual(m.entries(), [['x', ns.length]]);
    }
    v.setNamespace('0-1000');
    v.clear();
    v.setNamespace('1000-2000');
    t.is(v.value(), 9);
  });

  test(`${label}: keys of different key groups and different states are isolated`, async (t) => {
    const b = await openBackend(t, kind, options);
    const v = b.getValueState<string>('op', { kind: 'value', name: 'v' });
    const w = b.getValueState<string>('op2', { kind: 'value', name: 'v' });
    const keys = keysWhere(20, () => true);
    t.true(new Set(keys.map((k) => assignToKeyGroup(k, 128))).size > 10);
    for (const k of keys) {
      b.setCurrentKey(k);
      t.is(b.getCurrentKey(), k);
      t.is(b.getCurrentKeyGroup(), assignToKeyGroup(k, 128));
      v.update(`v${k}`);
      w.update(`w${k}`);
    }
    b.setCurrentKey('0');
    t.is(v.value(), undefined);
    await b.flush();
    for (const k of keys) {
      b.setCurrentKey(k);
      t.is(v.value(), `v${k}`);
      t.is(w.value(), `w${k}`);
    }
  });

  test(`${label}: entries expire after their TTL and are absent afterwards`, async (t) => {
    const clock = new ManualClock();
    const b = await openBackend(t, kind, { ...options, now: clock.now });
    const ttl = { ttlMs: 100 };
    const v = b.getValueState<number>('op', { kind: 'value', name: 'v', ttl, defaultValue: -1 });
    const l = b.getListState<number>('op', { kind: 'list', name: 'l', ttl });
    const m = b.getMapState<string, number>('op', { kind: 'map', name: 'm', ttl });
    const r = b.getValueState<number>('op', { kind: 'value', name: 'r', ttl: { ttlMs: 100, update: 'on-read-and-write' } });
    b.setCurrentKey('k');
    v.update(1);
    l.add(1);
    m.put('a', 1);
    r.update(1);
    clock.advance(60);
    m.put('b', 2);
    t.is(r.value(), 1); // refreshes r
    await b.flush();
    clock.advance(60);
    t.is(v.value(), -1);
    t.deepEqual(l.get(), []);
    t.is(m.get('a'), undefined);
    t.deepEqual(m.entries(), [['b', 2]]);
    t.false(m.isEmpty());
    t.is(r.value(), 1);
    clock.advance(100);
    t.true(m.isEmpty());
    t.is(r.value(), undefined);
  });

  test(`${label}: accessing state before setCurrentKey throws a keyed-context error`, async (t) => {
    const b = await openBackend(t, kind, options);
    const v = b.getValueState<number>('op', { kind: 'value', name: 'v' });
    const m = b.getMapState<string, number>('op', { kind: 'map', name: 'm' });
    t.throws(() => v.value(), { message: /^keyed state accessed outside a keyed context: .*call keyBy\(\) before this operator$/ });
    t.throws(() => m.put('a', 1), { message: /^keyed state accessed outside a keyed context/ });
  });

  test(`${label}: setCurrentKey of a key outside the key-group range throws naming group and range`, async (t) => {
    const b = await openBackend(t, kind, { ...options, keyGroupRange: { start: 0, end: 63 } });
    const [inside] = keysWhere(1, (g) => g <= 63);
    const [outside] = keysWhere(1, (g) => g > 63);
    b.setCurrentKey(inside);
    const group = assignToKeyGroup(outside, 128);
    t.throws(() => b.setCurrentKey(outside), { message: new RegExp(`key group ${group}, outside .*\\[0, 63\\]`) });
    t.is(b.getCurrentKey(), inside);
  });

  test(`${label}: a state name returns the same object and refuses another kind`, async (t) => {
    const b = await openBackend(t, kind, options);
    const v = b.getValueState('op', { kind: 'value', name: 's' });
    t.is(b.getValueState('op', { kind: 'value', name: 's' }), v);
    t.not(b.getValueState('op2', { kind: 'value', name: 's' }), v);
    t.throws(() => b.getListState('op', { kind: 'list', name: 's' }), { message: /already exists as value state/ });
  });
}

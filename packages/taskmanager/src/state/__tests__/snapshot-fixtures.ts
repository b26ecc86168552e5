/**
 * Fixtures of the snapshot tests: one state of every kind (and a TTL state), written for a set of
 * keys in a way that depends on a version number, and read back as plain data to compare backends.
 */
import type { ExecutionContext } from 'ava';
import type { AggregateFunction, KeyGroupRange, StateSpec } from '@eddy/common';
import { assignToKeyGroup } from '@eddy/common';
import type { KeyedStateBackend } from '../keyed-state-backend.js';
import type { KeyedStateHandle, SnapshotOptions } from '../snapshot/keyed-state-handle.js';
import { ManualClock, openBackend, tempDir } from './backend-fixtures.js';

export const OP = 'op-1';
export const TTL_MS = 10_000;

/** An accumulator updated in place, as user aggregate functions often do. */
const sumCount: AggregateFunction<unknown, unknown, unknown> = {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  add: (v, acc) => {
    const a = acc as { sum: number; n: number };
    a.sum += v as number;
    a.n++;
    return a;
  },
  getResult: (acc) => ({ ...(acc as object) }),
};

export const SPECS = {
  value: { kind: 'value', name: 'value' },
  list: { kind: 'list', name: 'list' },
  map: { kind: 'map', name: 'map' },
  reducing: { kind: 'reducing', name: 'reducing', reduce: (a: unknown, b: unknown) => (a as number) + (b as number) },
  aggregating: { kind: 'aggregating', name: 'aggregating', aggregate: sumCount },
  ttl: { kind: 'value', name: 'ttl', ttl: { ttlMs: TTL_MS } },
} as const satisfies Record<string, StateSpec>;

export type Kind = 'heap' | 'leveldb';
export const KINDS: readonly Kind[] = ['heap', 'leveldb'];

/** Mixed keys: numbers and strings (with non-ASCII characters). */
export function testKeys(n: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(i % 3 === 0 ? `user-${i}-é` : i);
  return out;
}

function states(b: KeyedStateBackend) {
  return {
    value: b.getValueState<unknown>(OP, SPECS.value),
    list: b.getListState<unknown>(OP, SPECS.list),
    map: b.getMapState<unknown, unknown>(OP, SPECS.map),
    reducing: b.getReducingState<number>(OP, SPECS.reducing),
    aggregating: b.getAggregatingState<number, unknown>(OP, SPECS.aggregating),
    ttl: b.getValueState<unknown>(OP, SPECS.ttl),
  };
}

/** Writes every state of every key; `version` changes every value, and list/map/accumulators grow. */
export async function populate(b: KeyedStateBackend, keys: readonly unknown[], version: number): Promise<void> {
  const s = states(b);
  for (const k of keys) {
    b.setCurrentKey(k);
    for (const ns of ['', 'w1']) {
      s.value.setNamespace(ns);
      s.value.update({ k, version, ns, nested: [1, 'two', { three: 3 }] });
      s.list.setNamespace(ns);
      s.list.add(`${version}-${ns}`);
    }
    s.map.setNamespace('');
    s.map.put(`v${version}`, version);
    s.map.put(k, { of: k });
    s.map.setNamespace('win');
    s.map.put(version, [version]);
    s.reducing.add(version);
    s.aggregating.add(version);
    s.ttl.update(version);
    await b.maybeFlush();
  }
}

/** Every state of every key as plain data (keys outside the backend's range are skipped). */
export function readAll(b: KeyedStateBackend, keys: readonly unknown[]): Record<string, unknown> {
  const s = states(b);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (!inRange(k, b.keyGroupRange, b.maxParallelism)) continue;
    b.setCurrentKey(k);
    const row: Record<string, unknown> = {};
    for (const ns of ['', 'w1']) {
      s.value.setNamespace(ns);
      row[`value${ns}`] = s.value.value();
      s.list.setNamespace(ns);
      row[`list${ns}`] = [...s.list.get()];
    }
    s.map.setNamespace('');
    row.map = sortEntries(s.map.entries());
    s.map.setNamespace('win');
    row.mapWin = sortEntries(s.map.entries());
    row.reducing = s.reducing.get();
    row.aggregating = s.aggregating.get();
    row.ttl = s.ttl.value();
    out[JSON.stringify(k)] = row;
  }
  return out;
}

function sortEntries(entries: [unknown, unknown][]): [unknown, unknown][] {
  return entries.map(([k, v]) => [k, v] as [unknown, unknown]).sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1));
}

export function inRange(key: unknown, range: KeyGroupRange, maxParallelism = 128): boolean {
  const g = assignToKeyGroup(key, maxParallelism);
  return g >= range.start && g <= range.end;
}

/** A snapshot of `b` written to a fresh directory. */
export async function snapshotOf(t: ExecutionContext, b: KeyedStateBackend, id: number, options: SnapshotOptions = {}): Promise<KeyedStateHandle> {
  const s = await b.snapshot(id, tempDir(t), options);
  return s.write();
}

/** A fresh backend of `kind` for `range`, restored from `handles`. */
export async function restored(
  t: ExecutionContext,
  kind: Kind,
  handles: readonly KeyedStateHandle[],
  range: KeyGroupRange = { start: 0, end: 127 },
  clock = new ManualClock(),
): Promise<KeyedStateBackend> {
  const b = await openBackend(t, kind, { keyGroupRange: range, now: clock.now });
  await b.restore(handles);
  return b;
}

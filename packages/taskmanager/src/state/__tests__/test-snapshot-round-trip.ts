/**
 * Snapshots round-trip every state kind on both backends and across them, in every snapshot kind
 * (key-group files from either backend, incremental LevelDB files), with state ids mapped by
 * (operator id, state name) and TTL timestamps kept.
 */
import test from 'ava';
import { isErrorNamed } from '@eddy/common';
import { ManualClock, openBackend, tempDir } from './backend-fixtures.js';
import { KINDS, OP, SPECS, TTL_MS, populate, readAll, restored, snapshotOf, testKeys, type Kind } from './snapshot-fixtures.js';
import type { SnapshotOptions } from '../snapshot/keyed-state-handle.js';

const modes = (kind: Kind): Array<'full' | 'incremental'> => (kind === 'leveldb' ? ['full', 'incremental'] : ['full']);
const optionsFor = (t: Parameters<typeof tempDir>[0], mode: 'full' | 'incremental'): SnapshotOptions =>
  mode === 'incremental' ? { sharedDir: tempDir(t) } : {};

for (const from of KINDS) {
  for (const mode of modes(from)) {
    for (const to of KINDS) {
      test(`snapshot: every state kind written by ${from} (${mode}) restores into ${to} equal`, async (t) => {
        const clock = new ManualClock();
        const src = await openBackend(t, from, { now: clock.now, writeBufferEntries: 500 });
        // a state registered first and never written: the restored backend numbers states differently
        src.getValueState(OP, { kind: 'value', name: 'unused' });
        const keys = testKeys(400);
        await populate(src, keys, 1);
        await populate(src, keys, 2);
        const before = readAll(src, keys);
        const h = await snapshotOf(t, src, 7, optionsFor(t, mode));
        t.is(h.kind, mode === 'incremental' ? 'leveldb-files' : 'key-groups');
        t.is(h.checkpointId, 7);
        const dst = await restored(t, to, [h], undefined, new ManualClock(clock.time));
        t.deepEqual(readAll(dst, keys), before);
      });
    }
  }
}

for (const from of KINDS) {
  for (const to of KINDS) {
    test(`snapshot: TTL timestamps survive ${from} -> ${to}, so entries expire at the same instant`, async (t) => {
      const clock = new ManualClock(1_000_000);
      const src = await openBackend(t, from, { now: clock.now });
      const ttl = src.getValueState<number>(OP, SPECS.ttl);
      src.setCurrentKey('early');
      ttl.update(1);
      clock.advance(5_000);
      src.setCurrentKey('late');
      ttl.update(2);
      const h = await snapshotOf(t, src, 1);
      const dstClock = new ManualClock(1_000_000 + TTL_MS - 1);
      const dst = await restored(t, to, [h], undefined, dstClock);
      const rttl = dst.getValueState<number>(OP, SPECS.ttl);
      dst.setCurrentKey('early');
      t.is(rttl.value(), 1, 'still alive 1 ms before its TTL');
      dstClock.advance(1);
      t.is(rttl.value(), undefined, 'expired at write time + TTL');
      dst.setCurrentKey('late');
      t.is(rttl.value(), 2);
      dstClock.advance(5_000);
      t.is(rttl.value(), undefined);
    });
  }
}

for (const from of KINDS) {
  for (const to of KINDS) {
    test(`snapshot: ${from} -> ${to} -> snapshot again keeps states the restored backend never used`, async (t) => {
      const src = await openBackend(t, from);
      const keys = testKeys(100);
      await populate(src, keys, 1);
      const before = readAll(src, keys);
      const mid = await restored(t, to, [await snapshotOf(t, src, 1)]);
      // only one state is used before the next snapshot: the others stay as restored
      const v = mid.getValueState<unknown>(OP, SPECS.value);
      mid.setCurrentKey(keys[0]);
      t.deepEqual(v.value(), (before[JSON.stringify(keys[0])] as { value: unknown }).value);
      const again = await snapshotOf(t, mid, 2);
      const dst = await restored(t, from, [again]);
      t.deepEqual(readAll(dst, keys), before);
    });
  }
}

test('snapshot: states of two operators with the same name stay apart, and a restored state keeps its kind', async (t) => {
  const src = await openBackend(t, 'heap');
  const a = src.getValueState<string>('op-a', { kind: 'value', name: 's' });
  const b = src.getValueState<string>('op-b', { kind: 'value', name: 's' });
  src.setCurrentKey(1);
  a.update('a');
  b.update('b');
  for (const kind of KINDS) {
    const dst = await restored(t, kind, [await snapshotOf(t, src, 1)]);
    dst.setCurrentKey(1);
    t.is(dst.getValueState<string>('op-a', { kind: 'value', name: 's' }).value(), 'a');
    t.is(dst.getValueState<string>('op-b', { kind: 'value', name: 's' }).value(), 'b');
    const other = await restored(t, kind, [await snapshotOf(t, src, 2)]);
    const err = t.throws(() => other.getListState('op-a', { kind: 'list', name: 's' }));
    t.true(isErrorNamed(err, 'IllegalStateError'), String(err));
  }
});

test('snapshot: restore refuses a backend that already holds state, and another max parallelism', async (t) => {
  const src = await openBackend(t, 'heap');
  src.getValueState(OP, SPECS.value);
  src.setCurrentKey(1);
  src.getValueState(OP, SPECS.value).update(1);
  const h = await snapshotOf(t, src, 1);
  const used = await openBackend(t, 'leveldb');
  used.getValueState(OP, SPECS.value);
  const e1 = await t.throwsAsync(used.restore([h]));
  t.true(isErrorNamed(e1, 'IllegalStateError'), String(e1));
  const other = await openBackend(t, 'heap', { maxParallelism: 256, keyGroupRange: { start: 0, end: 255 } });
  const e2 = await t.throwsAsync(other.restore([h]));
  t.true(isErrorNamed(e2, 'IncompatibleSnapshotError'), String(e2));
  t.regex(e2!.message, /max parallelism 128 .* max parallelism 256/);
});

test('snapshot: an empty backend snapshots and restores to an empty backend', async (t) => {
  for (const from of KINDS) {
    const src = await openBackend(t, from);
    const h = await snapshotOf(t, src, 1);
    for (const to of KINDS) {
      const dst = await restored(t, to, [h]);
      t.deepEqual(readAll(dst, testKeys(20)), readAll(await openBackend(t, to), testKeys(20)));
    }
  }
});

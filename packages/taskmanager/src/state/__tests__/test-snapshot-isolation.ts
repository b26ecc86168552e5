/**
 * Snapshot isolation: once the synchronous part of snapshot() has resolved, nothing the task does
 * reaches the snapshot — in-place list appends, map puts and removes, accumulators a user function
 * mutates in place, clears, new keys, LevelDB flushes and compactions — whether it happens before
 * write() starts or while it runs. write() yields to the event loop while it works.
 */
import test from 'ava';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ManualClock, openBackend, tempDir } from './backend-fixtures.js';
import { KINDS, OP, SPECS, populate, readAll, restored, testKeys } from './snapshot-fixtures.js';
import type { KeyedStateBackend } from '../keyed-state-backend.js';

const variants = [
  { kind: 'heap', incremental: false },
  { kind: 'leveldb', incremental: false },
  { kind: 'leveldb', incremental: true },
] as const;

/** Changes every kind of state of `keys`, clears some, adds others. */
async function mutate(b: KeyedStateBackend, keys: readonly unknown[], version: number): Promise<void> {
  await populate(b, keys, version);
  const value = b.getValueState<unknown>(OP, SPECS.value);
  const map = b.getMapState<unknown, unknown>(OP, SPECS.map);
  for (const k of keys.slice(0, 20)) {
    b.setCurrentKey(k);
    value.clear();
    map.remove(k);
  }
  await populate(b, ['new-1', 'new-2', 12345.5], version);
}

for (const { kind, incremental } of variants) {
  const label = `${kind}${incremental ? ' (incremental)' : ''}`;

  test(`snapshot isolation, ${label}: writes after the synchronous part do not reach the snapshot`, async (t) => {
    const clock = new ManualClock();
    const b = await openBackend(t, kind, { now: clock.now, writeBufferEntries: 200 });
    const keys = testKeys(300);
    await populate(b, keys, 1);
    const before = readAll(b, keys);
    const snapshot = await b.snapshot(1, tempDir(t), incremental ? { sharedDir: tempDir(t) } : {});
    clock.advance(1000);
    await mutate(b, keys, 2);
    await b.flush();
    const after = readAll(b, keys);
    t.notDeepEqual(after, before);
    const h = await snapshot.write();
    for (const to of KINDS) t.deepEqual(readAll(await restored(t, to, [h], undefined, new ManualClock(clock.time)), keys), before, `restored into ${to}`);
    t.deepEqual(readAll(b, keys), after, 'the backend keeps its own changes');
  });

  test(`snapshot isolation, ${label}: writes while write() runs do not reach the snapshot, and write() yields`, async (t) => {
    t.timeout(60_000);
    const b = await openBackend(t, kind, { writeBufferEntries: 200 });
    const keys = testKeys(3000);
    await populate(b, keys, 1);
    await b.flush();
    const before = readAll(b, keys);
    const snapshot = await b.snapshot(1, tempDir(t), incremental ? { sharedDir: tempDir(t) } : {});
    let done = false;
    const writing = snapshot.write().finally(() => (done = true));
    // the task goes on: a batch of changes per event-loop turn, flushed like a task does between batches
    let turns = 0;
    let version = 2;
    while (!done) {
      await mutate(b, keys.slice((turns * 50) % keys.length, ((turns * 50) % keys.length) + 50), version++);
      await b.maybeFlush();
      turns++;
      await nextTurn();
    }
    const h = await writing;
    t.log(`${turns} batches of changes ran while write() wrote the snapshot`);
    t.true(turns >= 2, `write() let the task run (${turns} turns)`);
    for (const to of KINDS) t.deepEqual(readAll(await restored(t, to, [h]), keys), before, `restored into ${to}`);
  });
}

test('snapshot isolation: a discarded snapshot releases its view, and a second snapshot works', async (t) => {
  for (const { kind, incremental } of variants) {
    const b = await openBackend(t, kind);
    const keys = testKeys(50);
    await populate(b, keys, 1);
    const options = incremental ? { sharedDir: tempDir(t) } : {};
    const first = await b.snapshot(1, tempDir(t), options);
    await first.discard();
    await first.discard();
    await populate(b, keys, 2);
    const expected = readAll(b, keys);
    const h = await (await b.snapshot(2, tempDir(t), options)).write();
    t.deepEqual(readAll(await restored(t, kind, [h]), keys), expected);
  }
});

test('snapshot isolation: an incremental LevelDB snapshot is declined while a full one is being written', async (t) => {
  const b = await openBackend(t, 'leveldb');
  await populate(b, testKeys(50), 1);
  const full = await b.snapshot(1, tempDir(t));
  const err = await t.throwsAsync(b.snapshot(2, tempDir(t), { sharedDir: tempDir(t) }));
  t.is(err?.name, 'SnapshotConflictError');
  await full.write();
  await t.notThrowsAsync(async () => (await b.snapshot(3, tempDir(t), { sharedDir: tempDir(t) })).write());
});

/**
 * Incremental LevelDB snapshots: a checkpoint lists every file it needs and which it shares with the
 * previous completed checkpoint; after a small change the next one writes little; every checkpoint
 * restores to the state it captured, also after later ones.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openBackend, tempDir } from './backend-fixtures.js';
import { OP, inRange, restored } from './snapshot-fixtures.js';
import type { KeyedStateBackend } from '../keyed-state-backend.js';
import type { LevelDbFilesStateHandle } from '../snapshot/keyed-state-handle.js';

const KEYS = 40_000;
/** 200 bytes that LevelDB's compression cannot shrink much (like real records). */
function payload(k: number, version: number): string {
  let x = (k * 2654435761 + version * 40503) >>> 0 || 1;
  let s = `${version}:${k}:`;
  while (s.length < 200) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += String.fromCharCode(33 + ((x >>> 0) % 94));
  }
  return s;
}

async function write(b: KeyedStateBackend, keys: Iterable<number>, version: number): Promise<void> {
  const v = b.getValueState<string>(OP, { kind: 'value', name: 'v' });
  let n = 0;
  for (const k of keys) {
    b.setCurrentKey(k);
    v.update(payload(k, version));
    if (++n % 1000 === 0) await b.maybeFlush();
  }
  await b.flush();
}

/** Checks every key of b's range; `changed` gives the version of keys not at version 1. */
function checkAll(t: Parameters<typeof tempDir>[0], b: KeyedStateBackend, changed: ReadonlyMap<number, number>): void {
  const v = b.getValueState<string>(OP, { kind: 'value', name: 'v' });
  let wrong = 0;
  let checked = 0;
  for (let k = 0; k < KEYS; k++) {
    if (!inRange(k, b.keyGroupRange)) continue;
    b.setCurrentKey(k);
    if (v.value() !== payload(k, changed.get(k) ?? 1)) wrong++;
    checked++;
  }
  t.is(wrong, 0);
  t.true(checked > KEYS / 4);
}

async function checkpoint(t: Parameters<typeof tempDir>[0], b: KeyedStateBackend, id: number, sharedDir: string): Promise<LevelDbFilesStateHandle> {
  const h = await (await b.snapshot(id, `${dirname(sharedDir)}/chk-${id}`, { sharedDir })).write();
  t.is(h.kind, 'leveldb-files');
  return h as LevelDbFilesStateHandle;
}

test('incremental: the second checkpoint after a small change writes little, and both restore', async (t) => {
  t.timeout(120_000);
  const storage = tempDir(t);
  const sharedDir = `${storage}/shared`;
  const b = await openBackend(t, 'leveldb', { writeBufferEntries: 5000, cacheEntries: 5000 });
  await write(b, Array.from({ length: KEYS }, (_, k) => k), 1);

  const first = await checkpoint(t, b, 1, sharedDir);
  t.true(first.files.every((f) => !f.sharedWithPrevious), 'the first checkpoint writes every file');
  t.true(first.files.some((f) => f.name.endsWith('.ldb') && f.scope === 'shared'));
  t.is(first.bytesWritten, first.files.reduce((n, f) => n + f.bytes, 0));
  b.notifyCheckpointComplete(1);

  const changed = new Map<number, number>();
  for (let k = 0; k < KEYS; k += 400) changed.set(k, 2); // 100 keys
  await write(b, changed.keys(), 2);
  const second = await checkpoint(t, b, 2, sharedDir);
  t.log(`first checkpoint wrote ${first.bytesWritten} bytes, the second ${second.bytesWritten} (${second.files.length} files, ${second.files.filter((f) => f.sharedWithPrevious).length} shared with the first)`);
  t.is(second.previousCheckpointId, 1);
  t.true(second.bytesWritten * 20 < first.bytesWritten, `second checkpoint wrote ${second.bytesWritten} bytes against ${first.bytesWritten}`);
  const firstPaths = new Set(first.files.map((f) => f.path));
  for (const f of second.files) {
    t.true(existsSync(f.path), `${f.path} exists`);
    t.is(statSync(f.path).size, f.bytes);
    if (f.sharedWithPrevious) t.true(firstPaths.has(f.path) && f.scope === 'shared', `${f.name} is the first checkpoint's file`);
  }
  t.true(second.files.some((f) => f.name === 'CURRENT') && second.files.some((f) => f.name.startsWith('MANIFEST-')));

  // each checkpoint restores to its own state, as the same range (its files become the database)
  // and as a half (its key groups copied out)
  for (const [h, expected] of [[first, new Map<number, number>()], [second, changed]] as const) {
    checkAll(t, await restored(t, 'leveldb', [h]), expected);
    checkAll(t, await restored(t, 'leveldb', [h], { start: 64, end: 127 }), expected);
  }
});

test('incremental: without notifyCheckpointComplete the next checkpoint shares nothing with a pending one', async (t) => {
  const storage = tempDir(t);
  const sharedDir = `${storage}/shared`;
  const b = await openBackend(t, 'leveldb');
  await write(b, Array.from({ length: 2000 }, (_, k) => k), 1);
  const first = await checkpoint(t, b, 1, sharedDir);
  const second = await checkpoint(t, b, 2, sharedDir);
  t.true(second.files.every((f) => !f.sharedWithPrevious));
  t.is(second.previousCheckpointId, undefined);
  const firstTables = new Set(first.files.filter((f) => f.scope === 'shared').map((f) => f.path));
  t.true(second.files.every((f) => !firstTables.has(f.path)), 'two pending checkpoints never write the same path');
  b.notifyCheckpointComplete(2);
  const third = await checkpoint(t, b, 3, sharedDir);
  t.is(third.previousCheckpointId, 2);
  t.true(third.files.some((f) => f.sharedWithPrevious));
});

test('incremental: a database restored from linked checkpoint files never changes those files', async (t) => {
  t.timeout(120_000);
  const sharedDir = `${tempDir(t)}/shared`;
  const src = await openBackend(t, 'leveldb');
  await write(src, Array.from({ length: KEYS }, (_, k) => k), 1);
  const h = await checkpoint(t, src, 1, sharedDir);
  const digest = async (): Promise<string[]> =>
    Promise.all(h.files.map(async (f) => `${f.name}:${createHash('sha256').update(await readFile(f.path)).digest('hex')}`));
  const before = await digest();
  const b = await restored(t, 'leveldb', [h]);
  t.true(h.files.some((f) => f.scope === 'shared' && statSync(f.path).nlink > 1), 'the restore linked the table files');
  // rewrite everything twice: LevelDB compacts and deletes the table files it was restored from
  const all = Array.from({ length: KEYS }, (_, k) => k);
  await write(b, all, 2);
  await write(b, all, 3);
  await b.close();
  t.deepEqual(await digest(), before);
  checkAll(t, await restored(t, 'leveldb', [h]), new Map());
});

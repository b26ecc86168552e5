import test from 'ava';
import { readFile, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '@eddy/common';
import { recordingLogger } from '../../__tests__/helpers/recording-logger.js';
import { CompletedCheckpointStore } from '../completed-checkpoint-store.js';
import { DirectoryCheckpointStorage } from '../directory-checkpoint-storage.js';
import { writeCheckpoint } from './helpers/checkpoint-fixtures.js';
import { tempDir } from './helpers/temp-dir.js';

async function setup(t: Parameters<typeof tempDir>[0], retained: number, logger = silentLogger) {
  const storage = DirectoryCheckpointStorage.forJob(await tempDir(t), 'job1');
  const store = new CompletedCheckpointStore({ storage, retained, logger });
  const exists = async (name: string) => (await storage.stat(name)) !== undefined;
  return { storage, store, exists };
}

test('completed-checkpoint-store: retains the last N checkpoints and discards the private directories of older ones', async (t) => {
  const { storage, store } = await setup(t, 2);
  for (const id of [1, 2, 3]) store.add(await writeCheckpoint(storage, id, { files: { [`chk-${id}/a`]: 'x' } }));
  await store.flush();
  t.deepEqual(store.retained.map((c) => c.checkpointId), [2, 3]);
  t.is(store.latest()?.checkpointId, 3);
  t.deepEqual(await storage.listCheckpointIds(), [2, 3]);
});

test('completed-checkpoint-store: deletes a shared file only when the last retained checkpoint naming it is discarded', async (t) => {
  const { storage, store, exists } = await setup(t, 2);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/A': 'a', 'shared/B': 'b', 'chk-1/p': '1' } }));
  store.add(await writeCheckpoint(storage, 2, { files: { 'shared/A': 'a', 'shared/C': 'c' } }));
  store.add(await writeCheckpoint(storage, 3, { files: { 'shared/A': 'a', 'shared/D': 'd' } }));
  await store.flush();
  // Checkpoint 1 left retention: B was only its own; A is still named by 2 and 3.
  t.false(await exists('shared/B'));
  t.true(await exists('shared/A'));
  t.true(await exists('shared/C'));
  t.is(store.refCount('shared/A'), 2);
  store.add(await writeCheckpoint(storage, 4, { files: { 'shared/D': 'd' } }));
  await store.flush();
  t.true(await exists('shared/A'), 'checkpoint 3 still names A');
  t.false(await exists('shared/C'));
  t.true(await exists('shared/D'));
  t.deepEqual(await storage.list('shared'), ['shared/A', 'shared/D']);
  // Every file a retained checkpoint names is still there.
  for (const cp of store.retained) for (const f of cp.files) t.true(await exists(f.name), f.name);
});

test('completed-checkpoint-store: keeps the latest restore point beyond retention until another restore replaces it', async (t) => {
  const { storage, store, exists } = await setup(t, 1);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/R': 'r', 'chk-1/p': 'p' } }));
  store.markRestored(1);
  store.add(await writeCheckpoint(storage, 2, { files: { 'shared/X': 'x' } }));
  store.add(await writeCheckpoint(storage, 3, { files: { 'shared/Y': 'y' } }));
  await store.flush();
  t.deepEqual(store.retained.map((c) => c.checkpointId), [3]);
  t.true(await exists('shared/R'));
  t.true(await exists('chk-1/p'));
  t.false(await exists('shared/X'));
  store.markRestored(3);
  await store.flush();
  t.false(await exists('shared/R'));
  t.deepEqual(await storage.listCheckpointIds(), [3]);
  t.throws(() => store.markRestored(2), { name: 'NotFoundError' });
});

test('completed-checkpoint-store: keeps the files of a checkpoint whose sink transaction is not confirmed committed', async (t) => {
  const { storage, store, exists } = await setup(t, 1);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/T': 't' }, committables: [{ pending: 'part-0-1' }] }));
  store.add(await writeCheckpoint(storage, 2, { files: { 'shared/U': 'u' } }));
  await store.flush();
  t.true(await exists('shared/T'));
  t.deepEqual(await storage.listCheckpointIds(), [1, 2]);
  store.confirmCommitted(1);
  await store.flush();
  t.false(await exists('shared/T'));
  t.deepEqual(await storage.listCheckpointIds(), [2]);
});

test('completed-checkpoint-store: a shared file acknowledged by a pending checkpoint survives the discard of the checkpoint that brought it', async (t) => {
  const { storage, store, exists } = await setup(t, 1);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/A': 'a' } }));
  store.registerPending(3, [{ name: 'shared/A', sizeBytes: 1 }]);
  store.add(await writeCheckpoint(storage, 2, { files: { 'shared/B': 'b' } }));
  await store.flush();
  t.true(await exists('shared/A'));
  store.discardPending(3);
  await store.flush();
  t.false(await exists('shared/A'));
  t.true(await exists('shared/B'));
});

test('completed-checkpoint-store: falls back to the previous checkpoint when the newest _metadata is truncated, logging its path', async (t) => {
  const { logger, records } = recordingLogger();
  const { storage, store } = await setup(t, 3, logger);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/A': 'a' } }));
  store.add(await writeCheckpoint(storage, 2, { files: { 'shared/A': 'a', 'chk-2/p': 'p' } }));
  const meta = storage.metadataUri(2);
  await truncate(meta, (await readFile(meta)).length - 20);
  const cp = await store.latestRestorable();
  t.is(cp?.checkpointId, 1);
  t.deepEqual(cp, store.retained[0]);
  const warn = records.find((r) => r.msg === 'checkpoint not restorable, trying the previous one');
  t.is(warn?.meta.path, meta);
  t.is(warn?.meta.checkpointId, 2);
  t.deepEqual(store.retained.map((c) => c.checkpointId), [1], 'the corrupt checkpoint is no longer retained');
  await store.flush();
  t.true((await readFile(meta)).length > 0, 'and is left in place for inspection');
  t.true((await storage.stat('shared/A')) !== undefined);
});

test('completed-checkpoint-store: falls back when a shared file is deleted, and when a file changed under the same size', async (t) => {
  const { logger, records } = recordingLogger();
  const { storage, store } = await setup(t, 3, logger);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/A': 'aaaa' } }));
  store.add(await writeCheckpoint(storage, 2, { files: { 'shared/A': 'aaaa', 'chk-2/p': 'pppp' } }));
  store.add(await writeCheckpoint(storage, 3, { files: { 'shared/A': 'aaaa', 'shared/C': 'cccc' } }));
  await unlink(storage.uriOf('shared/C'));
  await writeFile(storage.uriOf('chk-2/p'), 'qqqq');
  t.is((await store.latestRestorable())?.checkpointId, 1);
  const paths = records.filter((r) => r.level === 'warn').map((r) => [r.meta.checkpointId, r.meta.path, r.meta.problem]);
  t.deepEqual(paths, [
    [3, storage.uriOf('shared/C'), 'file is missing'],
    [2, storage.uriOf('chk-2/p'), 'file does not match its recorded SHA-256'],
  ]);
});

test('completed-checkpoint-store: has nothing to restore when every checkpoint is broken or there is none', async (t) => {
  const { storage, store } = await setup(t, 2);
  t.is(await store.latestRestorable(), undefined);
  store.add(await writeCheckpoint(storage, 1, { files: { 'shared/A': 'a' } }));
  await writeFile(storage.metadataUri(1), '{"format":"eddy-checkpoint-metadata","version":1,"sha256":"00","checkpoint":{}}');
  t.is(await store.latestRestorable(), undefined);
});

test('completed-checkpoint-store: loads a job’s checkpoints from storage, retaining the newest and discarding older and incomplete ones', async (t) => {
  const { logger, records } = recordingLogger();
  const { storage, exists } = await setup(t, 2);
  for (const id of [1, 2, 3]) await writeCheckpoint(storage, id, { files: { 'shared/A': 'a', [`shared/only-${id}`]: `${id}`, [`chk-${id}/p`]: 'p' } });
  await writeCheckpoint(storage, 4, { files: { 'shared/A': 'a' } });
  await writeFile(storage.metadataUri(4), 'garbage');
  await storage.initCheckpoint(5);
  await storage.put('chk-5/half-written', new Uint8Array(3));

  const store = new CompletedCheckpointStore({ storage, retained: 2, logger });
  const loaded = await store.load();
  await store.flush();
  t.deepEqual(loaded, { retained: [2, 3], discarded: [1], corrupt: [4], incomplete: [5] });
  t.is(store.highestCheckpointId, 5);
  t.deepEqual(await storage.listCheckpointIds(), [2, 3, 4]);
  t.false(await exists('shared/only-1'));
  t.true(await exists('shared/A'));
  t.is(records.find((r) => r.msg === 'checkpoint metadata unreadable, left in place')?.meta.path, join(storage.root, 'chk-4', '_metadata'));
  t.is((await store.latestRestorable())?.checkpointId, 3);

  // The loaded checkpoints count references like added ones.
  store.add(await writeCheckpoint(storage, 6, { files: { 'shared/A': 'a' } }));
  store.add(await writeCheckpoint(storage, 7, { files: {} }));
  await store.flush();
  t.false(await exists('shared/only-3'));
  t.true(await exists('shared/A'), 'checkpoint 6 names A');
  store.add(await writeCheckpoint(storage, 8, { files: {} }));
  await store.flush();
  t.false(await exists('shared/A'));
  await t.throwsAsync(store.load(), { name: 'IllegalStateError' });
});

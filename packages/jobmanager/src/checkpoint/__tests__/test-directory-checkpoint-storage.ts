import test from 'ava';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectoryCheckpointStorage } from '../directory-checkpoint-storage.js';
import { tempDir } from './helpers/temp-dir.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

test('directory-checkpoint-storage: keeps private files under chk-<n> and shared files under shared, both inside the job directory', async (t) => {
  const base = await tempDir(t);
  const storage = DirectoryCheckpointStorage.forJob(base, 'job1');
  await storage.initCheckpoint(1);
  await storage.put('chk-1/src-0/keyed-map.v1', bytes('private'));
  await storage.put('shared/src-0/000005.ldb', bytes('shared!'));
  t.deepEqual(storage.location(1), { root: join(base, 'job1'), checkpointPrefix: 'chk-1', sharedPrefix: 'shared' });
  t.is(await readFile(join(base, 'job1', 'chk-1', 'src-0', 'keyed-map.v1'), 'utf8'), 'private');
  t.is(text(await storage.get('shared/src-0/000005.ldb')), 'shared!');
  t.deepEqual(await storage.stat('shared/src-0/000005.ldb'), { sizeBytes: 7 });
  t.is(await storage.stat('shared/missing'), undefined);
  t.is(await storage.get('chk-1/missing'), undefined);
  t.deepEqual(await storage.list('chk-1'), ['chk-1/src-0/keyed-map.v1']);
  await storage.delete('shared/src-0/000005.ldb');
  await storage.delete('shared/src-0/000005.ldb'); // a missing file is not an error
  t.deepEqual(await storage.list('shared'), []);
});

test('directory-checkpoint-storage: digest is the SHA-256 of the file in hex', async (t) => {
  const storage = DirectoryCheckpointStorage.forJob(await tempDir(t), 'job1');
  await storage.put('shared/a', bytes('abc'));
  t.is(await storage.digest('shared/a'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  t.is(await storage.digest('shared/b'), undefined);
});

test('directory-checkpoint-storage: publishes _metadata atomically and leaves no temporary file behind', async (t) => {
  const base = await tempDir(t);
  const storage = DirectoryCheckpointStorage.forJob(base, 'job1');
  await storage.initCheckpoint(3);
  t.is(await storage.readMetadata(3), undefined);
  await storage.publishMetadata(3, bytes('{"v":1}'));
  await storage.publishMetadata(3, bytes('{"v":2}'));
  t.is(text(await storage.readMetadata(3)), '{"v":2}');
  t.deepEqual(await readdir(join(base, 'job1', 'chk-3')), ['_metadata']);
  t.is(storage.metadataUri(3), join(base, 'job1', 'chk-3', '_metadata'));
  t.deepEqual(await storage.list('chk-3'), [], 'list never returns _metadata');
});

test('directory-checkpoint-storage: refuses to start a checkpoint whose directory already exists', async (t) => {
  const storage = DirectoryCheckpointStorage.forJob(await tempDir(t), 'job1');
  await storage.initCheckpoint(1);
  await storage.put('chk-1/left-over', bytes('x'));
  await t.throwsAsync(storage.initCheckpoint(1), { name: 'CheckpointStorageError' });
  t.deepEqual(await storage.list('chk-1'), ['chk-1/left-over']);
});

test('directory-checkpoint-storage: discarding a checkpoint deletes its private directory and nothing shared', async (t) => {
  const base = await tempDir(t);
  const storage = DirectoryCheckpointStorage.forJob(base, 'job1');
  await storage.initCheckpoint(1);
  await storage.initCheckpoint(2);
  await storage.put('chk-1/a/b', bytes('1'));
  await storage.put('shared/s', bytes('s'));
  await storage.publishMetadata(1, bytes('m'));
  await storage.discardCheckpoint(1);
  await storage.discardCheckpoint(1);
  t.deepEqual(await storage.listCheckpointIds(), [2]);
  t.deepEqual(await storage.list('shared'), ['shared/s']);
});

test('directory-checkpoint-storage: lists checkpoint ids in numeric order and ignores other entries', async (t) => {
  const base = await tempDir(t);
  const storage = DirectoryCheckpointStorage.forJob(base, 'job1');
  t.deepEqual(await storage.listCheckpointIds(), [], 'a job without checkpoints has no directory yet');
  for (const id of [10, 2, 1]) await storage.initCheckpoint(id);
  await mkdir(join(base, 'job1', 'chk-0'));
  await mkdir(join(base, 'job1', 'chk-x'));
  await writeFile(join(base, 'job1', 'chk-7'), 'a file, not a directory');
  t.deepEqual(await storage.listCheckpointIds(), [1, 2, 10]);
});

test('directory-checkpoint-storage: rejects job ids and names that would leave the job directory', async (t) => {
  const base = await tempDir(t);
  t.throws(() => DirectoryCheckpointStorage.forJob(base, '../other'), { name: 'ValidationError' });
  t.throws(() => DirectoryCheckpointStorage.forJob(base, 'Job/1'), { name: 'ValidationError' });
  const storage = DirectoryCheckpointStorage.forJob(join(base, 'dir'), 'job1');
  const bad = ['../escape', 'chk-1/../../escape', '/etc/passwd', 'shared', 'other/file', 'chk-1/_metadata', 'chk-1/.hidden', 'chk-0/x', 'shared//x', 'shared/a\\..\\b', 'chk-1/a/../../../x'];
  for (const name of bad) {
    await t.throwsAsync(storage.put(name, bytes('x')), { name: 'UnsafeCheckpointPathError' }, name);
    await t.throwsAsync(storage.get(name), { name: 'UnsafeCheckpointPathError' }, name);
    await t.throwsAsync(storage.delete(name), { name: 'UnsafeCheckpointPathError' }, name);
  }
  await t.throwsAsync(storage.list('../'), { name: 'UnsafeCheckpointPathError' });
  t.deepEqual(await readdir(base), [], 'nothing was written anywhere');
});

test('directory-checkpoint-storage: never follows a symbolic link below the job directory', async (t) => {
  const base = await tempDir(t);
  const outside = join(base, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret'), 'keep me');
  const storage = DirectoryCheckpointStorage.forJob(join(base, 'chk'), 'job1');
  await storage.initCheckpoint(1);
  await symlink(outside, join(base, 'chk', 'job1', 'chk-1', 'linked-dir'));
  await symlink(join(outside, 'secret'), join(base, 'chk', 'job1', 'chk-1', 'linked-file'));
  await t.throwsAsync(storage.put('chk-1/linked-dir/new', bytes('x')), { name: 'UnsafeCheckpointPathError' });
  await t.throwsAsync(storage.get('chk-1/linked-dir/secret'), { name: 'UnsafeCheckpointPathError' });
  await t.throwsAsync(storage.get('chk-1/linked-file'), { name: 'UnsafeCheckpointPathError' });
  await t.throwsAsync(storage.stat('chk-1/linked-file'), { name: 'UnsafeCheckpointPathError' });
  await t.throwsAsync(storage.digest('chk-1/linked-file'), { name: 'UnsafeCheckpointPathError' });
  await t.throwsAsync(storage.delete('chk-1/linked-dir/secret'), { name: 'UnsafeCheckpointPathError' });
  t.deepEqual(await storage.list('chk-1'), [], 'list skips links');
  await storage.discardCheckpoint(1);
  t.is(await readFile(join(outside, 'secret'), 'utf8'), 'keep me');
  t.deepEqual(await readdir(outside), ['secret']);

  await symlink(outside, join(base, 'chk', 'job1', 'chk-2'));
  await t.throwsAsync(storage.discardCheckpoint(2), { name: 'UnsafeCheckpointPathError' });
  await t.throwsAsync(storage.publishMetadata(2, bytes('m')), { name: 'UnsafeCheckpointPathError' });
  t.deepEqual(await readdir(outside), ['secret']);
  t.true((await stat(join(outside, 'secret'))).isFile());
});

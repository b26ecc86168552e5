/**
 * Damaged snapshots fail the restore with a CorruptSnapshotError that names the damaged file: key-group
 * files truncated anywhere, with a changed byte in any section, of another kind or version, or
 * missing; LevelDB snapshot files missing, truncated or changed.
 */
import test from 'ava';
import { open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { openBackend, tempDir } from './backend-fixtures.js';
import { KINDS, populate, restored, snapshotOf, testKeys } from './snapshot-fixtures.js';
import type { KeyGroupsStateHandle, KeyedStateHandle, LevelDbFilesStateHandle } from '../snapshot/keyed-state-handle.js';
import { KeyGroupFileReader } from '../snapshot/key-group-file-reader.js';
import { KEYED_STATE_MAGIC } from '../snapshot/key-group-file.js';

async function keyGroupsSnapshot(t: Parameters<typeof tempDir>[0]): Promise<KeyGroupsStateHandle> {
  const b = await openBackend(t, 'heap');
  await populate(b, testKeys(200), 1);
  return (await snapshotOf(t, b, 1)) as KeyGroupsStateHandle;
}

/** Restores `h` into both backends; each must fail naming `file` with a message matching `reason`. */
async function assertCorrupt(t: Parameters<typeof tempDir>[0], h: KeyedStateHandle, file: string, reason: RegExp): Promise<void> {
  for (const kind of KINDS) {
    const err = await t.throwsAsync(restored(t, kind, [h]));
    t.is(err?.name, 'CorruptSnapshotError', String(err));
    t.is((err as unknown as { file: string }).file, file);
    t.true(err!.message.includes(file), `the message names the file: ${err!.message}`);
    t.regex(err!.message, reason);
  }
}

async function flipByte(file: string, at: number): Promise<void> {
  const fh = await open(file, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, at);
  b[0] = b[0]! ^ 0xff;
  await fh.write(b, 0, 1, at);
  await fh.close();
}

test('corruption: a key-group file truncated anywhere fails the restore naming the file', async (t) => {
  const h = await keyGroupsSnapshot(t);
  const whole = await readFile(h.file);
  for (const length of [0, 10, 100, Math.floor(whole.length / 2), whole.length - 20, whole.length - 1]) {
    await writeFile(h.file, whole.subarray(0, length));
    await assertCorrupt(t, h, h.file, /truncated|ends at byte|do not fit/);
  }
});

test('corruption: a changed byte in the header, a block or the index fails its checksum', async (t) => {
  const h = await keyGroupsSnapshot(t);
  const whole = await readFile(h.file);
  const reader = await KeyGroupFileReader.open(h.file, KEYED_STATE_MAGIC);
  let block = { offset: 0, length: 0 };
  for (let g = 0; block.length === 0; g++) block = reader.blockExtent(g);
  await reader.close();
  const cases = [
    { at: 40, reason: /header does not match its checksum/ },
    { at: block.offset + 3, reason: /block of key group \d+ does not match its checksum/ },
    { at: whole.length - 30, reason: /index does not match its checksum/ },
  ];
  for (const c of cases) {
    await writeFile(h.file, whole);
    await flipByte(h.file, c.at);
    await assertCorrupt(t, h, h.file, c.reason);
  }
});

test('corruption: a file of another kind or format version, or a missing one, fails naming it', async (t) => {
  const h = await keyGroupsSnapshot(t);
  const whole = await readFile(h.file);
  const otherMagic = Buffer.from(whole);
  otherMagic.write('ETMR', 0, 'latin1');
  await writeFile(h.file, otherMagic);
  await assertCorrupt(t, h, h.file, /not a EKST snapshot file/);
  const otherVersion = Buffer.from(whole);
  otherVersion.writeUInt16BE(2, 4);
  await writeFile(h.file, otherVersion);
  await assertCorrupt(t, h, h.file, /format version 2 is not supported/);
  await rm(h.file);
  await assertCorrupt(t, h, h.file, /cannot be opened \(ENOENT\)/);
});

async function incrementalSnapshot(t: Parameters<typeof tempDir>[0]): Promise<LevelDbFilesStateHandle> {
  const b = await openBackend(t, 'leveldb', { writeBufferEntries: 500 });
  await populate(b, testKeys(2000), 1);
  return (await snapshotOf(t, b, 1, { sharedDir: tempDir(t) })) as LevelDbFilesStateHandle;
}

test('corruption: a LevelDB snapshot file missing, truncated or changed fails the restore naming it', async (t) => {
  const h = await incrementalSnapshot(t);
  const table = h.files.find((f) => f.name.endsWith('.ldb'))!;
  const manifest = h.files.find((f) => f.name.startsWith('MANIFEST-'))!;
  t.truthy(table);
  const tableBytes = await readFile(table.path);

  await truncate(table.path, table.bytes - 100);
  await assertCorrupt(t, h, table.path, /has \d+ bytes, the snapshot recorded/);
  await writeFile(table.path, tableBytes);
  await flipByte(table.path, Math.floor(table.bytes / 2));
  t.is((await stat(table.path)).size, table.bytes);
  await assertCorrupt(t, h, table.path, /do not match the checksum/);
  await rm(table.path);
  await assertCorrupt(t, h, table.path, /missing \(ENOENT\)/);
  await writeFile(table.path, tableBytes);
  await flipByte(manifest.path, 3);
  await assertCorrupt(t, h, manifest.path, /do not match the checksum/);
});

/**
 * The files of a LevelDB database that a snapshot needs, and how to lay a snapshot's files out as a
 * database directory again.
 *
 * LevelDB writes a table file (.ldb, or .sst from older versions) once and never changes it; it only
 * deletes it after a compaction. So table files are hard-linked (a link is a new name for the same
 * immutable bytes, taken in microseconds) where the file system allows it, and copied otherwise. The
 * MANIFEST, CURRENT and the write-ahead log change while a database is open, so they are always
 * copied. LOCK and the info LOG are not part of the data.
 */
import { ClassicLevel } from 'classic-level';
import { copyFile, link, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LevelDbFilesStateHandle } from './keyed-state-handle.js';
import { checksumOf } from './file-checksum.js';
import { CorruptSnapshotError } from './snapshot-errors.js';

export function isTableFile(name: string): boolean {
  return name.endsWith('.ldb') || name.endsWith('.sst');
}

/** True for the files a snapshot of a closed database must hold. */
export function isSnapshotFile(name: string): boolean {
  return isTableFile(name) || name === 'CURRENT' || name.startsWith('MANIFEST-') || name.endsWith('.log');
}

/** Hard-links `from` to `to`, or copies it when the file system cannot link (another device, no support). */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK' && code !== 'EOPNOTSUPP') throw err;
    await copyFile(from, to);
  }
}

/**
 * Lays the files of `handle` out in `dir` (created; must not hold a database) under their names in the
 * database: table files linked or copied, the mutable files copied. Each file must exist with the
 * size and CRC-32 the handle records, so a missing, truncated or damaged file is named before
 * LevelDB reads anything.
 */
export async function materializeDatabase(handle: LevelDbFilesStateHandle, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of handle.files) {
    let size: number;
    try {
      size = (await stat(f.path)).size;
    } catch (err) {
      throw new CorruptSnapshotError(f.path, `the file is missing (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
    }
    if (size !== f.bytes) throw new CorruptSnapshotError(f.path, `the file has ${size} bytes, the snapshot recorded ${f.bytes} (truncated or replaced)`);
    const crc = await checksumOf(f.path);
    if (crc !== f.crc32) throw new CorruptSnapshotError(f.path, `the file's bytes do not match the checksum the snapshot recorded (crc32 ${crc} instead of ${f.crc32})`);
    const to = join(dir, f.name);
    if (isTableFile(f.name)) await linkOrCopy(f.path, to);
    else await copyFile(f.path, to);
  }
}

/** Opens a database laid out by materializeDatabase(); a LevelDB error names the snapshot's MANIFEST. */
export async function openSnapshotDatabase(handle: LevelDbFilesStateHandle, dir: string): Promise<ClassicLevel<Buffer, Buffer>> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false });
  try {
    await db.open();
  } catch (err) {
    throw openError(handle, err);
  }
  return db;
}

/** The error for a snapshot's files that LevelDB cannot open: it names the snapshot's MANIFEST. */
export function openError(handle: LevelDbFilesStateHandle, err: unknown): CorruptSnapshotError {
  const manifest = handle.files.find((f) => f.name.startsWith('MANIFEST-'))?.path ?? '(no MANIFEST in the snapshot)';
  const cause = (err as { cause?: unknown }).cause ?? err;
  return new CorruptSnapshotError(manifest, `LevelDB cannot open the snapshot's database: ${cause instanceof Error ? cause.message : String(cause)}`, err);
}

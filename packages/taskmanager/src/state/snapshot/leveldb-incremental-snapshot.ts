/**
 * The two halves of an incremental LevelDB snapshot.
 *
 * Synchronous part (stageDatabase): with the write buffer already written out, turn LevelDB's memtable
 * into a table file, close the database, hard-link its table files and copy its small mutable files
 * into a staging directory next to it, and open it again. Closing is what makes the file set
 * consistent: an open database compacts in the background and may delete a table file between
 * listing and linking it. Linking is per file and independent of its size (the guide measured 0.05 s
 * for 69 MB). Without the memtable flush, the write-ahead log (up to 4 MB of recent writes) would be
 * copied with every checkpoint and, turned into a table file on reopen, uploaded again by the next.
 *
 * Asynchronous part (uploadStaged): copy to the shared directory only the table files the previous
 * completed checkpoint does not hold (table files never change, so a name seen before is the same
 * bytes), copy the mutable files to the checkpoint's own directory, each with its CRC-32, and fsync
 * what was written.
 */
import type { ClassicLevel } from 'classic-level';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LevelDbSnapshotFile } from './keyed-state-handle.js';
import { copyWithChecksum } from './file-checksum.js';
import { isSnapshotFile, isTableFile, linkOrCopy } from './leveldb-files.js';

export interface StagedFile {
  readonly name: string;
  readonly bytes: number;
}

// A key range after every key (metadata keys start 0xFF 0xFF 's'): compacting it only flushes the
// memtable, since LevelDB's CompactRange always does that first and no table file overlaps the range.
const PAST_ALL_KEYS = [Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])] as const;

/** Closes `db`, stages its files in `stagingDir` (created), and opens `db` again, also on failure. */
export async function stageDatabase(db: ClassicLevel<Buffer, Buffer>, stagingDir: string): Promise<StagedFile[]> {
  await db.compactRange(PAST_ALL_KEYS[0], PAST_ALL_KEYS[1]);
  await db.close();
  try {
    await mkdir(stagingDir, { recursive: true });
    const staged: StagedFile[] = [];
    for (const name of (await readdir(db.location)).sort()) {
      if (!isSnapshotFile(name)) continue;
      const from = join(db.location, name);
      const to = join(stagingDir, name);
      if (isTableFile(name)) await linkOrCopy(from, to);
      else await copyFile(from, to);
      staged.push({ name, bytes: (await stat(to)).size });
    }
    return staged;
  } finally {
    await db.open();
  }
}

export interface UploadTarget {
  readonly checkpointId: number;
  /** Prefix of shared file names, unique per database, so subtasks can share one directory. */
  readonly uid: string;
  readonly targetDir: string;
  readonly sharedDir: string;
  /** Table files of the previous completed checkpoint, by name in the database. */
  readonly previous: ReadonlyMap<string, LevelDbSnapshotFile>;
}

/** Writes the staged files that are not in `previous`; returns every file of the snapshot. */
export async function uploadStaged(stagingDir: string, staged: readonly StagedFile[], t: UploadTarget): Promise<LevelDbSnapshotFile[]> {
  await mkdir(t.targetDir, { recursive: true });
  await mkdir(t.sharedDir, { recursive: true });
  const files: LevelDbSnapshotFile[] = [];
  for (const f of staged) {
    const known = t.previous.get(f.name);
    if (isTableFile(f.name) && known !== undefined && known.bytes === f.bytes) {
      // a table file is never changed, so its name and size identify it; its checksum is known
      files.push({ ...known, sharedWithPrevious: true });
      continue;
    }
    const shared = isTableFile(f.name);
    // the checkpoint id in the name keeps two pending checkpoints that both upload a file apart
    const path = shared ? join(t.sharedDir, `${t.uid}-${t.checkpointId}-${f.name}`) : join(t.targetDir, f.name);
    const { crc32, bytes } = await copyWithChecksum(join(stagingDir, f.name), path);
    files.push({ name: f.name, path, bytes, crc32, scope: shared ? 'shared' : 'exclusive', sharedWithPrevious: false });
  }
  return files;
}

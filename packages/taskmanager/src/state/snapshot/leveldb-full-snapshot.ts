/**
 * A full snapshot of a LevelDB backend: the synchronous part takes a LevelDB snapshot (O(1); the
 * caller has written the write buffer out first), the asynchronous part iterates it over the
 * backend's key-group range, in batches that each await the database, into one key-group file.
 * Writes after the synchronous part never reach it. Self-contained: what savepoints use.
 */
import type { ClassicLevel } from 'classic-level';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KEYED_STATE_MAGIC, type KeyGroupFileMeta } from './key-group-file.js';
import { KeyGroupFileWriter } from './key-group-file-writer.js';
import type { KeyedStateHandle, KeyedStateSnapshot } from './keyed-state-handle.js';
import { encodeStateTable, encodeStoredEntry, keyedSnapshotFileName, type SnapshotStateInfo } from './keyed-snapshot-format.js';
import { ReleaseOnce } from './snapshot-strategy.js';

const ITERATOR_BATCH = 1000;

/** Takes the snapshot now; `released` runs once, when write() ends or discard() is called. */
export function fullSnapshot(
  db: ClassicLevel<Buffer, Buffer>,
  states: readonly SnapshotStateInfo[],
  meta: KeyGroupFileMeta,
  targetDir: string,
  released: () => void,
): KeyedStateSnapshot {
  const snap = db.snapshot();
  const release = new ReleaseOnce(async () => {
    released();
    await snap.close();
  });
  const { checkpointId, keyGroupRange: range, maxParallelism } = meta;
  return {
    checkpointId,
    write: async (): Promise<KeyedStateHandle> => {
      try {
        await mkdir(targetDir, { recursive: true });
        const file = join(targetDir, keyedSnapshotFileName(range));
        const w = await KeyGroupFileWriter.create(file, KEYED_STATE_MAGIC, meta, encodeStateTable(states));
        try {
          const gte = Buffer.from([range.start >>> 8, range.start & 0xff]);
          const lt = Buffer.from([(range.end + 1) >>> 8, (range.end + 1) & 0xff]);
          const it = db.iterator({ gte, lt, snapshot: snap });
          let group = -1;
          try {
            for (let batch = await it.nextv(ITERATOR_BATCH); batch.length > 0; batch = await it.nextv(ITERATOR_BATCH)) {
              for (const [key, value] of batch) {
                const kg = key.readUInt16BE(0);
                if (kg !== group) {
                  if (group >= 0) await w.endGroup();
                  w.beginGroup(kg);
                  group = kg;
                }
                encodeStoredEntry(w.out, key, value);
                w.entryAdded();
              }
              if (w.full) await w.drain();
            }
          } finally {
            await it.close();
          }
          if (group >= 0) await w.endGroup();
          const bytes = await w.finish();
          return { kind: 'key-groups', checkpointId, maxParallelism, keyGroupRange: range, file, bytes };
        } catch (err) {
          await w.abort();
          throw err;
        }
      } finally {
        await release.run();
      }
    },
    discard: () => release.run(),
  };
}

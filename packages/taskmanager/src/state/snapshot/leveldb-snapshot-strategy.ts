/**
 * Snapshots and restores of the LevelDB backend. Both snapshot kinds first write the write buffer out
 * (the task awaits this at a batch boundary), then:
 *
 * - full (no shared directory; savepoints): take a LevelDB snapshot, which is synchronous and O(1);
 *   the asynchronous part iterates it and writes the key-group file. Later writes never reach it.
 * - incremental (a shared directory): stage the database files (leveldb-incremental-snapshot.ts); the
 *   asynchronous part uploads the table files that the last completed checkpoint does not hold.
 *
 * An incremental snapshot closes the database for a moment, which would end a full snapshot's
 * iterator, so it is declined (SnapshotConflictError) while a full one is being written.
 *
 * Restore: one `leveldb-files` handle of exactly this key-group range becomes this database (its files
 * laid out in the database directory). Anything else — other ranges (rescaling), several handles,
 * key-group files — is copied entry by entry for the key groups of this range.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyGroupRange } from '@eddy/common';
import type { LevelDbStateTable } from '../leveldb-state-table.js';
import type { StateIdRegistry } from '../state-id-registry.js';
import type { KeyedStateHandle, KeyedStateSnapshot, LevelDbFilesStateHandle, LevelDbSnapshotFile } from './keyed-state-handle.js';
import { relevantHandles, restoreHandles, type RestoreSink } from './keyed-state-restore.js';
import { materializeDatabase, openError } from './leveldb-files.js';
import { fullSnapshot } from './leveldb-full-snapshot.js';
import { stageDatabase, uploadStaged } from './leveldb-incremental-snapshot.js';
import { SnapshotConflictError } from './snapshot-errors.js';
import { ReleaseOnce, type SnapshotStrategy } from './snapshot-strategy.js';

const RESTORE_BATCH = 4096;

export class LevelDbSnapshotStrategy implements SnapshotStrategy {
  private fullInFlight = 0;
  private readonly uid = randomUUID();
  /** Table files uploaded by checkpoints not yet known to be complete. */
  private readonly uploaded = new Map<number, ReadonlyMap<string, LevelDbSnapshotFile>>();
  private lastCompleted: { id: number; files: ReadonlyMap<string, LevelDbSnapshotFile> } | undefined;

  constructor(
    private readonly table: LevelDbStateTable,
    private readonly registry: StateIdRegistry,
    private readonly maxParallelism: number,
    private readonly keyGroupRange: KeyGroupRange,
  ) {}

  async snapshot(checkpointId: number, targetDir: string, options: { sharedDir?: string }): Promise<KeyedStateSnapshot> {
    await this.table.flush();
    if (options.sharedDir === undefined) return this.full(checkpointId, targetDir);
    return this.incremental(checkpointId, targetDir, options.sharedDir);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    const files = this.uploaded.get(checkpointId);
    if (files !== undefined) this.lastCompleted = { id: checkpointId, files };
    for (const id of this.uploaded.keys()) if (id <= checkpointId) this.uploaded.delete(id);
  }

  stateRegistered(): void {}

  async restore(handles: readonly KeyedStateHandle[]): Promise<void> {
    const target = { maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange, registry: this.registry, table: this.table, scratchDir: join(this.table.database.location, '..') };
    const relevant = relevantHandles(handles, target);
    const only = relevant.length === 1 ? relevant[0]! : undefined;
    if (only?.kind === 'leveldb-files' && only.keyGroupRange.start === this.keyGroupRange.start && only.keyGroupRange.end === this.keyGroupRange.end) {
      await this.adoptFiles(only);
      return;
    }
    const db = this.table.database;
    let ops: Array<{ type: 'put'; key: Buffer; value: Buffer }> = [];
    const sink: RestoreSink = {
      add: (key, value) => void ops.push({ type: 'put', key, value }),
      drain: async () => {
        if (ops.length < RESTORE_BATCH) return;
        const batch = ops;
        ops = [];
        await db.batch(batch);
      },
    };
    await restoreHandles(relevant, target, sink);
    if (ops.length > 0) await db.batch(ops);
    await this.table.flush(); // the state-id records registered by the restore
  }

  /** A synchronous LevelDB snapshot, iterated by write() into a key-group file. */
  private full(checkpointId: number, targetDir: string): KeyedStateSnapshot {
    const meta = { maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange, checkpointId };
    const snapshot = fullSnapshot(this.table.database, this.registry.list(), meta, targetDir, () => this.fullInFlight--);
    this.fullInFlight++; // after: a snapshot that could not be taken is not in flight
    return snapshot;
  }

  private async incremental(checkpointId: number, targetDir: string, sharedDir: string): Promise<KeyedStateSnapshot> {
    if (this.fullInFlight > 0) {
      throw new SnapshotConflictError(
        `incremental snapshot ${checkpointId} declined: a full snapshot of this LevelDB backend is still being written, and an incremental one must close the database`,
      );
    }
    const db = this.table.database;
    const stagingDir = `${db.location}.chk-${checkpointId}-${randomUUID().slice(0, 8)}`;
    const staged = await stageDatabase(db, stagingDir).catch(async (err: unknown) => {
      await rm(stagingDir, { recursive: true, force: true });
      throw err;
    });
    const previous = this.lastCompleted;
    const release = new ReleaseOnce(() => rm(stagingDir, { recursive: true, force: true }));
    return {
      checkpointId,
      write: async (): Promise<KeyedStateHandle> => {
        try {
          const files = await uploadStaged(stagingDir, staged, { checkpointId, uid: this.uid, targetDir, sharedDir, previous: previous?.files ?? new Map() });
          const tables = new Map<string, LevelDbSnapshotFile>();
          let bytesWritten = 0;
          for (const f of files) {
            if (f.scope === 'shared') tables.set(f.name, f);
            if (!f.sharedWithPrevious) bytesWritten += f.bytes;
          }
          this.uploaded.set(checkpointId, tables);
          const handle: LevelDbFilesStateHandle = {
            kind: 'leveldb-files',
            checkpointId,
            maxParallelism: this.maxParallelism,
            keyGroupRange: this.keyGroupRange,
            files,
            bytesWritten,
            ...(previous === undefined ? {} : { previousCheckpointId: previous.id }),
          };
          return handle;
        } finally {
          await release.run();
        }
      },
      discard: () => release.run(),
    };
  }

  /**
   * Makes the files of `h` this backend's database (this backend holds no state yet). When they cannot
   * be laid out, the database is left empty and open; when LevelDB cannot open them, it stays closed.
   */
  private async adoptFiles(h: LevelDbFilesStateHandle): Promise<void> {
    const db = this.table.database;
    const wipe = async (): Promise<void> => {
      for (const name of await readdir(db.location)) await rm(join(db.location, name), { recursive: true, force: true });
    };
    await db.close();
    try {
      await wipe();
      await materializeDatabase(h, db.location);
    } catch (err) {
      await wipe();
      await db.open();
      throw err;
    }
    try {
      await db.open();
    } catch (err) {
      throw openError(h, err);
    }
    await this.registry.reload(db);
  }
}

/**
 * What a keyed state snapshot leaves behind, as plain JSON for the checkpoint acknowledgement and the
 * checkpoint's metadata. Paths are absolute. A restore takes any number of handles (several when the
 * job was rescaled) and reads from each only the key groups of the restoring backend.
 *
 * - `key-groups`: one self-contained file in the key-group format (keyed-snapshot-format.ts), written
 *   by the heap backend, and by LevelDB for full snapshots (savepoints, or no shared directory).
 * - `leveldb-files`: the files of a LevelDB database as they were at the snapshot (incremental):
 *   its immutable table files in the shared directory, shared with other checkpoints of the same
 *   backend, and its small mutable files (MANIFEST, CURRENT, write-ahead log) in the checkpoint's own
 *   directory. The database carries its own state-id records.
 */
import type { KeyGroupRange } from '@eddy/common';

export interface KeyGroupsStateHandle {
  readonly kind: 'key-groups';
  readonly checkpointId: number;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly file: string;
  readonly bytes: number;
}

/** One file of a LevelDB snapshot. */
export interface LevelDbSnapshotFile {
  /** Its name in the database directory (e.g. 000123.ldb, MANIFEST-000045, CURRENT). */
  readonly name: string;
  /** Where it is stored. */
  readonly path: string;
  readonly bytes: number;
  /** CRC-32 of the file's bytes, checked by restores (LevelDB does not check table files on open). */
  readonly crc32: number;
  /**
   * 'shared': in the shared directory, possibly needed by several checkpoints (reference-counted by
   * the JobManager); 'exclusive': in this checkpoint's directory, needed by this checkpoint only.
   */
  readonly scope: 'shared' | 'exclusive';
  /** True when an earlier checkpoint wrote the file and this one only refers to it (nothing written). */
  readonly sharedWithPrevious: boolean;
}

export interface LevelDbFilesStateHandle {
  readonly kind: 'leveldb-files';
  readonly checkpointId: number;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  /** Every file the snapshot needs. */
  readonly files: readonly LevelDbSnapshotFile[];
  /** Bytes this checkpoint wrote (the files not shared with the previous one). */
  readonly bytesWritten: number;
  /**
   * The completed checkpoint whose shared files this one reuses (absent: none reused). Until this
   * checkpoint is acknowledged or aborted, the files of that checkpoint must not be deleted even if
   * it is subsumed.
   */
  readonly previousCheckpointId?: number;
}

export type KeyedStateHandle = KeyGroupsStateHandle | LevelDbFilesStateHandle;

/** A keyed state snapshot between its synchronous and its asynchronous part. */
export interface KeyedStateSnapshot {
  readonly checkpointId: number;
  /**
   * The asynchronous part: writes the view captured by snapshot() and resolves with the handle, while
   * the task goes on processing and changing state. Call once; releases the view when done or failed.
   */
  write(): Promise<KeyedStateHandle>;
  /** Releases the view without writing (the checkpoint was aborted). Idempotent; no-op after write(). */
  discard(): Promise<void>;
}

export interface SnapshotOptions {
  /**
   * The checkpoint storage's shared directory. When set, a LevelDB backend takes an incremental
   * snapshot (`leveldb-files`: table files are written here once and reused by later checkpoints).
   * When unset (savepoints), and always for the heap backend, the snapshot is one self-contained
   * `key-groups` file.
   */
  readonly sharedDir?: string;
}

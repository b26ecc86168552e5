/**
 * CheckpointStorage: where one job's checkpoints live, as named blobs (Flink's CheckpointStorage and
 * CheckpointStorageLocation). Names are relative to the job's root and validated by
 * checkpoint-file-names.ts: `chk-<n>/...` for the files private to checkpoint n, `shared/...` for
 * the files incremental checkpoints share. `chk-<n>/_metadata` is written only by
 * `publishMetadata`, last and atomically: a checkpoint exists exactly when its `_metadata` does.
 *
 * The contract is small enough for an object store: blobs are written whole (`put`), never appended;
 * `publishMetadata` must be atomic (a reader sees the old state or the whole new file); `list` is
 * by prefix. Every failure is a CheckpointStorageError naming the file; a name that would leave the
 * job's root is an UnsafeCheckpointPathError and touches nothing.
 */

/** Where tasks write the files of one checkpoint; carried in the trigger and in the barrier. */
export interface CheckpointStorageLocation {
  /** The job's root: an absolute directory for a directory storage, a URI for an object store. */
  readonly root: string;
  /** Prefix of the checkpoint's private file names, e.g. `chk-5`; its files are named `chk-5/...`. */
  readonly checkpointPrefix: string;
  /** Prefix of shared file names: `shared`. */
  readonly sharedPrefix: string;
}

export interface StoredFileInfo {
  readonly sizeBytes: number;
}

export interface CheckpointStorage {
  readonly jobId: string;
  /** The location tasks write checkpoint `checkpointId` to. */
  location(checkpointId: number): CheckpointStorageLocation;
  /** Where a name points, for logs and errors (an absolute path for a directory storage). */
  uriOf(name: string): string;
  /** Where the `_metadata` of checkpoint `checkpointId` is. */
  metadataUri(checkpointId: number): string;
  /** Prepares checkpoint `checkpointId`; fails when files of that id already exist. */
  initCheckpoint(checkpointId: number): Promise<void>;
  put(name: string, bytes: Uint8Array): Promise<void>;
  /** The whole blob, or undefined when there is none. */
  get(name: string): Promise<Uint8Array | undefined>;
  stat(name: string): Promise<StoredFileInfo | undefined>;
  /** SHA-256 of the blob in lowercase hex, or undefined when there is none. */
  digest(name: string): Promise<string | undefined>;
  /** Names of every file under the prefix `prefix` (a directory name such as `shared` or `chk-5`), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes one file; a missing file is not an error. */
  delete(name: string): Promise<void>;
  /** Writes `chk-<n>/_metadata` atomically; the checkpoint is complete once this resolves. */
  publishMetadata(checkpointId: number, bytes: Uint8Array): Promise<void>;
  /** The bytes of `chk-<n>/_metadata`, or undefined when the checkpoint has none. */
  readMetadata(checkpointId: number): Promise<Uint8Array | undefined>;
  /** Ids of every `chk-<n>` present, complete or not, in ascending order. */
  listCheckpointIds(): Promise<number[]>;
  /** Deletes checkpoint n's private files: `_metadata` first, so a half-deleted checkpoint is never restorable. */
  discardCheckpoint(checkpointId: number): Promise<void>;
}

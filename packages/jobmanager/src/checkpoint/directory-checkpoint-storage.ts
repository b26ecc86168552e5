/**
 * DirectoryCheckpointStorage: CheckpointStorage on a local or shared file system (a volume mounted by
 * every process on Kubernetes). Layout under `<baseDir>/<jobId>/`: `chk-<n>/` per checkpoint with
 * `_metadata` written last, `shared/` for the files incremental checkpoints share.
 *
 * Safety: every name is validated (checkpoint-file-names.ts), the job id with isSafeId, and no
 * operation follows a symbolic link below the job's root: each directory on the way is checked with
 * lstat and files are opened with O_NOFOLLOW. Writes go to a hidden temporary file that is synced
 * and renamed, so a reader never sees half a blob; `_metadata` also syncs its directory.
 */
import { randomBytes, createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ValidationError, isErrorNamed, isSafeId } from '@eddy/common';
import { CheckpointStorageError, UnsafeCheckpointPathError } from '../errors.js';
import { METADATA_FILE, SHARED_DIR, checkName, checkpointDirName, nameSegments, parseCheckpointDirName } from './checkpoint-file-names.js';
import type { CheckpointStorage, CheckpointStorageLocation, StoredFileInfo } from './checkpoint-storage.js';

export class DirectoryCheckpointStorage implements CheckpointStorage {
  /** `<baseDir>/<jobId>`, absolute. */
  readonly root: string;

  private constructor(
    baseDir: string,
    readonly jobId: string,
  ) {
    this.root = resolve(baseDir, jobId);
  }

  /** The storage of job `jobId` under `baseDir`; throws ValidationError for an id that is not a safe file name. */
  static forJob(baseDir: string, jobId: string): DirectoryCheckpointStorage {
    if (!isSafeId(jobId)) throw new ValidationError(`'${jobId}' is not a valid job id`);
    if (typeof baseDir !== 'string' || baseDir.trim() === '') throw new ValidationError('the checkpoint directory must be a non-empty path');
    return new DirectoryCheckpointStorage(baseDir, jobId);
  }

  location(checkpointId: number): CheckpointStorageLocation {
    return { root: this.root, checkpointPrefix: checkpointDirName(checkpointId), sharedPrefix: SHARED_DIR };
  }

  uriOf(name: string): string {
    return join(this.root, ...checkName(name, true));
  }

  metadataUri(checkpointId: number): string {
    return join(this.root, checkpointDirName(checkpointId), METADATA_FILE);
  }

  async initCheckpoint(checkpointId: number): Promise<void> {
    const dir = checkpointDirName(checkpointId);
    await this.io('create', this.root, async () => {
      await this.makeDirs([SHARED_DIR]);
      await this.checkDirs([dir]);
      await mkdir(join(this.root, dir)); // not recursive: an existing directory of this id is an error
    });
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    const segments = checkName(name);
    const path = join(this.root, ...segments);
    await this.io('write', path, async () => {
      await this.makeDirs(segments.slice(0, -1));
      await writeSynced(path, bytes, false);
    });
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const segments = checkName(name);
    const path = join(this.root, ...segments);
    return this.io('read', path, async () => {
      await this.checkDirs(segments.slice(0, -1));
      return readNoFollow(path, async (fh) => new Uint8Array(await fh.readFile()));
    });
  }

  async stat(name: string): Promise<StoredFileInfo | undefined> {
    const segments = checkName(name);
    const path = join(this.root, ...segments);
    return this.io('stat', path, async () => {
      await this.checkDirs(segments.slice(0, -1));
      const s = await lstatOrUndefined(path);
      if (s?.isSymbolicLink()) throw new UnsafeCheckpointPathError(path, 'is a symbolic link');
      return s?.isFile() ? { sizeBytes: s.size } : undefined;
    });
  }

  async digest(name: string): Promise<string | undefined> {
    const segments = checkName(name);
    const path = join(this.root, ...segments);
    return this.io('digest', path, async () => {
      await this.checkDirs(segments.slice(0, -1));
      return readNoFollow(path, async (fh) => {
        const hash = createHash('sha256');
        for await (const chunk of fh.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
        return hash.digest('hex');
      });
    });
  }

  async list(prefix: string): Promise<string[]> {
    const segments = checkName(prefix, true);
    const path = join(this.root, ...segments);
    return this.io('list', path, async () => {
      await this.checkDirs(segments);
      const names: string[] = [];
      await walk(path, segments.join('/'), names);
      return names.sort();
    });
  }

  async delete(name: string): Promise<void> {
    const segments = checkName(name);
    const path = join(this.root, ...segments);
    await this.io('delete', path, async () => {
      await this.checkDirs(segments.slice(0, -1));
      await unlinkIfPresent(path);
    });
  }

  async publishMetadata(checkpointId: number, bytes: Uint8Array): Promise<void> {
    const dir = checkpointDirName(checkpointId);
    const path = join(this.root, dir, METADATA_FILE);
    await this.io('publish', path, async () => {
      await this.checkDirs([dir]);
      await writeSynced(path, bytes, true);
    });
  }

  async readMetadata(checkpointId: number): Promise<Uint8Array | undefined> {
    const dir = checkpointDirName(checkpointId);
    const path = join(this.root, dir, METADATA_FILE);
    return this.io('read', path, async () => {
      await this.checkDirs([dir]);
      return readNoFollow(path, async (fh) => new Uint8Array(await fh.readFile()));
    });
  }

  async listCheckpointIds(): Promise<number[]> {
    return this.io('list', this.root, async () => {
      await this.checkDirs([]);
      let entries;
      try {
        entries = await readdir(this.root, { withFileTypes: true });
      } catch (e) {
        if (isErrno(e, 'ENOENT')) return [];
        throw e;
      }
      const ids = entries.filter((d) => d.isDirectory()).map((d) => parseCheckpointDirName(d.name));
      return ids.filter((id): id is number => id !== undefined).sort((a, b) => a - b);
    });
  }

  async discardCheckpoint(checkpointId: number): Promise<void> {
    const dir = checkpointDirName(checkpointId);
    const path = join(this.root, dir);
    await this.io('discard', path, async () => {
      await this.checkDirs([dir]);
      await unlinkIfPresent(join(path, METADATA_FILE));
      // rm does not follow symbolic links inside the directory: it removes the links themselves.
      await rm(path, { recursive: true, force: true });
    });
  }

  /** Checks that the job root and each directory `segments` leads through is not a symbolic link. */
  private async checkDirs(segments: readonly string[]): Promise<void> {
    let path = this.root;
    for (let i = -1; i < segments.length; i++) {
      if (i >= 0) path = join(path, segments[i]!);
      const s = await lstatOrUndefined(path);
      if (s === undefined) return; // nothing below a missing directory exists either
      if (s.isSymbolicLink()) throw new UnsafeCheckpointPathError(path, 'is a symbolic link');
      if (!s.isDirectory()) throw new UnsafeCheckpointPathError(path, 'is not a directory');
    }
  }

  private async makeDirs(segments: readonly string[]): Promise<void> {
    await this.checkDirs(segments);
    await mkdir(join(this.root, ...segments), { recursive: true });
  }

  /** Runs `fn`, wrapping any failure but an unsafe path into a CheckpointStorageError naming `uri`. */
  private async io<T>(operation: string, uri: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isErrorNamed(e, 'UnsafeCheckpointPathError')) throw e;
      throw new CheckpointStorageError(operation, uri, e);
    }
  }
}

/** Writes `bytes` to a hidden temporary file beside `path`, syncs it, renames it; `syncDir` also syncs the directory. */
async function writeSynced(path: string, bytes: Uint8Array, syncDir: boolean): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(temp, path);
  } catch (e) {
    await unlinkIfPresent(temp);
    throw e;
  }
  if (syncDir) {
    const d = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
}

/** Opens `path` without following a symbolic link; undefined when it does not exist. */
async function readNoFollow<T>(path: string, read: (fh: FileHandle) => Promise<T>): Promise<T | undefined> {
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    if (isErrno(e, 'ELOOP')) throw new UnsafeCheckpointPathError(path, 'is a symbolic link');
    throw e;
  }
  try {
    return await read(fh);
  } finally {
    await fh.close();
  }
}

/** Collects the valid file names below `dir` (named `prefix`); symbolic links and temporary files are skipped. */
async function walk(dir: string, prefix: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return;
    throw e;
  }
  for (const d of entries) {
    const name = `${prefix}/${d.name}`;
    if (!nameSegments(name, true)) continue;
    if (d.isDirectory()) await walk(join(dir, d.name), name, out);
    else if (d.isFile()) out.push(name);
  }
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
  }
}

function isErrno(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === code;
}

/**
 * CompletedCheckpointStore: a job's completed checkpoints (Flink's CompletedCheckpointStore with its
 * SharedStateRegistry). It retains the last N; a checkpoint that falls out of retention is discarded
 * unless it is the latest restore point or its sink transaction is not confirmed committed yet. A
 * shared file is deleted only when no held checkpoint — pending, retained, restore point or open
 * transaction — names it.
 *
 * Invariants: the retained list is sorted by id and never longer than N; every held checkpoint's
 * shared files have a count in the registry; deletions run one after another in the background
 * (`flush()` waits for them) and a failed deletion is logged, never thrown: a leaked file is
 * harmless, a wrongly deleted one is not.
 *
 * Threading: the registry changes synchronously with each call, so the coordinator's view never lags;
 * only the deletions are asynchronous.
 */
import { IllegalStateError, NotFoundError, errorMessage, isErrorNamed, type Logger } from '@eddy/common';
import type { CorruptCheckpointError } from '../errors.js';
import { isSharedFileName } from './checkpoint-file-names.js';
import { decodeMetadata } from './checkpoint-metadata-codec.js';
import { hasCommittables, type CompletedCheckpoint, type StateFileHandle } from './checkpoint-metadata.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import { readVerifiedCheckpoint } from './checkpoint-verifier.js';
import { SharedStateRegistry, type Release } from './shared-state-registry.js';

export interface CompletedCheckpointStoreDeps {
  readonly storage: CheckpointStorage;
  /** Completed checkpoints kept; the compiled `retained` checkpoint option. */
  readonly retained: number;
  readonly logger: Logger;
  /** Check recorded SHA-256 checksums in latestRestorable() (reads every such file). @default true */
  readonly verifyChecksums?: boolean;
}

/** What load() found in storage. */
export interface LoadedCheckpoints {
  readonly retained: readonly number[];
  /** Valid but older than the retained ones: discarded. */
  readonly discarded: readonly number[];
  /** A `_metadata` that does not decode: left in place for inspection, not used. */
  readonly corrupt: readonly number[];
  /** No `_metadata`: a checkpoint in progress when the previous JobManager stopped; discarded. */
  readonly incomplete: readonly number[];
}

export class CompletedCheckpointStore {
  private readonly registry = new SharedStateRegistry();
  private readonly retainedList: CompletedCheckpoint[] = [];
  /** Every completed checkpoint still held for some reason, by id. */
  private readonly held = new Map<number, CompletedCheckpoint>();
  private restorePoint: number | undefined;
  private highest = 0;
  private deletions: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly deps: CompletedCheckpointStoreDeps) {
    this.log = deps.logger.child({ component: 'completed-checkpoint-store', jobId: deps.storage.jobId });
  }

  /** The retained checkpoints, oldest first. */
  get retained(): readonly CompletedCheckpoint[] {
    return this.retainedList;
  }
  latest(): CompletedCheckpoint | undefined {
    return this.retainedList[this.retainedList.length - 1];
  }
  /** The highest checkpoint id seen in storage or added; the next checkpoint must use a higher one. */
  get highestCheckpointId(): number {
    return this.highest;
  }
  /** How many held checkpoints name shared file `name`. */
  refCount(name: string): number {
    return this.registry.refCount(name);
  }
  /** True when no checkpoint but `checkpointId` holds shared file `name` (it brought the file in). */
  isNewSharedFile(name: string, checkpointId: number): boolean {
    return this.registry.onlyHolder(name, checkpointId);
  }

  /**
   * Reads the job's checkpoints from storage (a restarted JobManager): retains the newest N valid
   * ones and discards older and incomplete ones. Must run before this job's coordinator starts.
   */
  async load(): Promise<LoadedCheckpoints> {
    if (this.held.size > 0) throw new IllegalStateError('load() must come before any checkpoint is added');
    const { storage } = this.deps;
    const valid: CompletedCheckpoint[] = [];
    const corrupt: number[] = [];
    const incomplete: number[] = [];
    for (const id of await storage.listCheckpointIds()) {
      this.highest = Math.max(this.highest, id);
      const bytes = await storage.readMetadata(id);
      if (bytes === undefined) {
        incomplete.push(id);
        continue;
      }
      try {
        valid.push(decodeMetadata(bytes, { jobId: storage.jobId, checkpointId: id }, storage.metadataUri(id)));
      } catch (e) {
        if (!isErrorNamed(e, 'CorruptCheckpointError')) throw e;
        corrupt.push(id);
        this.log.warn('checkpoint metadata unreadable, left in place', { checkpointId: id, path: (e as CorruptCheckpointError).uri, problem: errorMessage(e) });
      }
    }
    for (const cp of valid) this.hold(cp, 'retained');
    this.retainedList.push(...valid);
    const discarded = this.evict();
    for (const id of incomplete) this.schedule(id, { checkpointReleased: true, unreferencedFiles: [] });
    const result = { retained: this.retainedList.map((c) => c.checkpointId), discarded, corrupt, incomplete };
    this.log.info('checkpoints loaded', { ...result });
    return result;
  }

  /** An in-progress checkpoint's acknowledged files: they stay until it completes or is discarded. */
  registerPending(checkpointId: number, files: readonly StateFileHandle[]): void {
    this.highest = Math.max(this.highest, checkpointId);
    this.registry.hold(checkpointId, 'pending', sharedNames(files));
  }

  /** A checkpoint that will not complete: its private files go, and shared files only it named. */
  discardPending(checkpointId: number): void {
    this.registry.hold(checkpointId, 'pending'); // a checkpoint that never got an acknowledgement has files too
    this.schedule(checkpointId, this.registry.release(checkpointId, 'pending'));
  }

  /** A completed checkpoint (its `_metadata` published): retained, and the oldest beyond N discarded. */
  add(cp: CompletedCheckpoint): void {
    if (this.held.has(cp.checkpointId)) throw new IllegalStateError(`checkpoint ${cp.checkpointId} was already added`);
    this.highest = Math.max(this.highest, cp.checkpointId);
    this.hold(cp, 'retained');
    if (hasCommittables(cp)) this.registry.hold(cp.checkpointId, 'transaction');
    this.registry.release(cp.checkpointId, 'pending'); // never releases: 'retained' holds it
    const at = this.retainedList.findIndex((c) => c.checkpointId > cp.checkpointId);
    this.retainedList.splice(at < 0 ? this.retainedList.length : at, 0, cp);
    this.evict();
  }

  /** The job restored from `checkpointId`: it is kept until another restore replaces it. */
  markRestored(checkpointId: number): void {
    const cp = this.held.get(checkpointId);
    if (!cp) throw new NotFoundError(`checkpoint ${checkpointId} is not held by the store`);
    this.registry.hold(checkpointId, 'restore');
    const previous = this.restorePoint;
    this.restorePoint = checkpointId;
    if (previous !== undefined && previous !== checkpointId) this.releaseReason(previous, 'restore');
  }

  /** The sinks confirmed the commit of checkpoint `checkpointId`'s committables. */
  confirmCommitted(checkpointId: number): void {
    this.releaseReason(checkpointId, 'transaction');
  }

  /**
   * The newest checkpoint that can be restored, read back from storage with every file checked; a
   * corrupt one (unreadable `_metadata`, missing or changed file) is logged with the bad file's path,
   * dropped from retention and left in place, and the previous one is tried. Undefined when none is.
   */
  async latestRestorable(): Promise<CompletedCheckpoint | undefined> {
    await this.flush();
    const candidates = [...this.held.values()].filter((c) => this.registry.isHeld(c.checkpointId, 'retained') || c.checkpointId === this.restorePoint);
    candidates.sort((a, b) => b.checkpointId - a.checkpointId);
    for (const cp of candidates) {
      try {
        return await readVerifiedCheckpoint(this.deps.storage, cp.checkpointId, this.deps.verifyChecksums ?? true);
      } catch (e) {
        if (!isErrorNamed(e, 'CorruptCheckpointError')) throw e;
        const err = e as CorruptCheckpointError;
        this.log.warn('checkpoint not restorable, trying the previous one', { checkpointId: cp.checkpointId, path: err.uri, problem: err.problem });
        this.dropCorrupt(cp.checkpointId);
      }
    }
    if (candidates.length > 0) this.log.warn('no restorable checkpoint', { tried: candidates.map((c) => c.checkpointId) });
    return undefined;
  }

  /** Resolves once every deletion scheduled so far has run. */
  flush(): Promise<void> {
    return this.deletions;
  }

  private hold(cp: CompletedCheckpoint, reason: 'retained'): void {
    this.held.set(cp.checkpointId, cp);
    this.registry.hold(cp.checkpointId, reason, sharedNames(cp.files));
  }

  /** Releases retention of the oldest checkpoints beyond N; returns their ids. */
  private evict(): number[] {
    const evicted = this.retainedList.splice(0, Math.max(0, this.retainedList.length - this.deps.retained));
    for (const cp of evicted) this.releaseReason(cp.checkpointId, 'retained');
    return evicted.map((c) => c.checkpointId);
  }

  private releaseReason(checkpointId: number, reason: 'retained' | 'restore' | 'transaction'): void {
    const release = this.registry.release(checkpointId, reason);
    if (release.checkpointReleased) this.held.delete(checkpointId);
    this.schedule(checkpointId, release);
  }

  /** A checkpoint whose files on disk are bad: no longer held, its directory kept for inspection. */
  private dropCorrupt(checkpointId: number): void {
    const i = this.retainedList.findIndex((c) => c.checkpointId === checkpointId);
    if (i >= 0) this.retainedList.splice(i, 1);
    if (this.restorePoint === checkpointId) this.restorePoint = undefined;
    this.held.delete(checkpointId);
    const { unreferencedFiles } = this.registry.releaseAll(checkpointId);
    this.schedule(checkpointId, { checkpointReleased: false, unreferencedFiles });
  }

  private schedule(checkpointId: number, release: Release): void {
    if (!release.checkpointReleased && release.unreferencedFiles.length === 0) return;
    const { storage } = this.deps;
    this.deletions = this.deletions.then(async () => {
      if (release.checkpointReleased) await this.quietly(() => storage.discardCheckpoint(checkpointId), storage.metadataUri(checkpointId));
      for (const name of release.unreferencedFiles) await this.quietly(() => storage.delete(name), storage.uriOf(name));
    });
  }

  private async quietly(fn: () => Promise<void>, uri: string): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.warn('checkpoint file not deleted', { path: uri, error: errorMessage(e) });
    }
  }
}

function sharedNames(files: readonly StateFileHandle[]): string[] {
  return files.map((f) => f.name).filter(isSharedFileName);
}

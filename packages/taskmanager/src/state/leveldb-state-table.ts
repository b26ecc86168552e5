/**
 * LevelDB behind a bounded heap cache of decoded entries that is also the write buffer.
 *
 * - Reads: a cache hit is one Map lookup; a miss is one synchronous `db.getSync()` whose result
 *   (including "absent") is cached clean.
 * - Writes and deletes never touch LevelDB: they make the cached entry dirty (a delete is a dirty
 *   ABSENT entry, a tombstone). Every read sees them.
 * - flush() encodes every dirty entry, writes them with `db.batch()` in chunks, then evicts clean
 *   entries down to `cacheEntries`. maybeFlush() does that only when over a limit.
 * - Eviction is CLOCK (second chance) over the Map's insertion order: a hit sets `ref`; the sweep
 *   re-inserts referenced entries at the back with `ref` cleared and drops unreferenced clean ones.
 *   A hit costs one boolean store instead of LRU's delete + set.
 *
 * Invariants: a dirty entry is never evicted; `dirtyCount` equals the number of dirty entries and each
 * dirty entry is in `dirtyList` exactly once; no eviction happens while a batch is in flight (an
 * entry marked clean for an in-flight batch is not yet readable from LevelDB). Flushes run one at a
 * time (chained). Single-threaded: the task thread only.
 */
import type { ClassicLevel } from 'classic-level';
import type { StateCodec } from '@eddy/common';
import { flatten, type StateEntry, type StateTable } from './state-table.js';
import { NO_TIMESTAMP, decodeStored, encodeStored, storedTimestamp } from './state-value-codec.js';

const ABSENT: unknown = Symbol('absent');
const BATCH_CHUNK = 4096;

class CacheEntry implements StateEntry {
  dirty = false;
  ref = false;
  constructor(
    readonly key: string,
    public value: unknown,
    public ts: number,
    public codec: StateCodec<unknown> | undefined,
  ) {}
}

type BatchOp = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

export class LevelDbStateTable implements StateTable {
  private readonly cache = new Map<string, CacheEntry>();
  private dirtyList: CacheEntry[] = [];
  private dirtyCount = 0;
  private inFlight = 0;
  private flushChain: Promise<void> = Promise.resolve();
  /** Cache misses served by getSync (for tests and metrics). */
  misses = 0;

  constructor(
    private readonly db: ClassicLevel<Buffer, Buffer>,
    private readonly cacheEntries: number,
    private readonly writeBufferEntries: number,
  ) {}

  /** The database, for snapshots and restores (which flush() first and never write through the cache). */
  get database(): ClassicLevel<Buffer, Buffer> {
    return this.db;
  }

  get cachedEntries(): number {
    return this.cache.size;
  }

  read(prefix: string, suffix: string, codec: StateCodec<unknown>): StateEntry | undefined {
    const key = suffix === '' ? prefix : prefix + suffix;
    let e = this.cache.get(key);
    if (e === undefined) e = this.load(key, codec);
    else e.ref = true;
    return e.value === ABSENT ? undefined : e;
  }

  write(prefix: string, suffix: string, codec: StateCodec<unknown>, value: unknown, ts: number): void {
    const key = suffix === '' ? prefix : prefix + suffix;
    const e = this.cache.get(key);
    if (e === undefined) {
      flatten(key);
      const n = new CacheEntry(key, value, ts, codec);
      this.cache.set(key, n);
      this.markDirty(n);
      return;
    }
    e.value = value;
    e.ts = ts;
    e.codec = codec;
    e.ref = true;
    if (!e.dirty) this.markDirty(e);
  }

  remove(prefix: string, suffix: string): void {
    const key = suffix === '' ? prefix : prefix + suffix;
    const e = this.cache.get(key);
    if (e === undefined) {
      flatten(key);
      const n = new CacheEntry(key, ABSENT, NO_TIMESTAMP, undefined);
      this.cache.set(key, n);
      this.markDirty(n);
    } else if (e.value !== ABSENT || e.dirty) {
      e.value = ABSENT;
      e.codec = undefined;
      if (!e.dirty) this.markDirty(e);
    }
  }

  maybeFlush(): Promise<void> | undefined {
    if (this.dirtyCount >= this.writeBufferEntries) return this.flush();
    if (this.cache.size > this.cacheEntries) {
      if (this.inFlight === 0) this.evict();
      if (this.cache.size > this.cacheEntries) return this.flush();
    }
    return undefined;
  }

  flush(): Promise<void> {
    const next = this.flushChain.then(() => this.writeDirty());
    this.flushChain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.db.close();
  }

  private load(key: string, codec: StateCodec<unknown>): CacheEntry {
    this.misses++;
    const bytes = this.db.getSync(Buffer.from(key, 'latin1'));
    flatten(key);
    const e =
      bytes === undefined
        ? new CacheEntry(key, ABSENT, NO_TIMESTAMP, undefined)
        : new CacheEntry(key, decodeStored(codec, bytes), storedTimestamp(bytes), codec);
    this.cache.set(key, e);
    return e;
  }

  private markDirty(e: CacheEntry): void {
    e.dirty = true;
    this.dirtyCount++;
    this.dirtyList.push(e);
  }

  /** Encodes and marks clean every dirty entry, writes them in chunks, then evicts. */
  private async writeDirty(): Promise<void> {
    const taken = this.dirtyList;
    this.dirtyList = [];
    this.dirtyCount = 0;
    this.inFlight++;
    try {
      const ops: BatchOp[] = [];
      for (const e of taken) {
        e.dirty = false;
        const key = Buffer.from(e.key, 'latin1');
        if (e.value === ABSENT) ops.push({ type: 'del', key });
        else ops.push({ type: 'put', key, value: encodeStored(e.codec!, e.value, e.ts) });
      }
      for (let i = 0; i < ops.length; i += BATCH_CHUNK) {
        await this.db.batch(ops.slice(i, i + BATCH_CHUNK));
      }
    } catch (err) {
      for (const e of taken) if (!e.dirty) this.markDirty(e);
      throw err;
    } finally {
      this.inFlight--;
    }
    if (this.inFlight === 0) this.evict();
  }

  /** CLOCK sweep down to cacheEntries, skipping dirty entries. */
  private evict(): void {
    const cache = this.cache;
    if (cache.size <= this.cacheEntries) return;
    for (const e of cache.values()) {
      if (cache.size <= this.cacheEntries) break;
      if (e.dirty) continue;
      cache.delete(e.key);
      if (e.ref) {
        e.ref = false;
        cache.set(e.key, e);
      }
    }
  }
}

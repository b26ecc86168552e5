/**
 * A StateTable holds the decoded state entries of one backend. An entry's key comes in two parts
 * whose concatenation is its byte layout (state-key-codec.ts): the `prefix` of the state and current
 * key (built once per key change and reused, so its hash is computed once) and the `suffix` (the
 * namespace, plus the user key for map entries; often ''). The LevelDB table adds a bounded cache,
 * a write buffer and durability; the heap table is two levels of Maps, so a windowed access never
 * concatenates or re-hashes a key.
 *
 * Contract: read() returns the live entry or undefined when absent; an entry's fields change only
 * through write()/remove() (a value mutated in place, like a list append, is re-written with write()
 * so the backend knows it changed). Single-threaded: the task thread only.
 */
import type { StateCodec } from '@eddy/common';

export interface StateEntry {
  readonly value: unknown;
  /** Write (or read) time for TTL; NO_TIMESTAMP when the state has no TTL. */
  readonly ts: number;
}

export interface StateTable {
  read(prefix: string, suffix: string, codec: StateCodec<unknown>): StateEntry | undefined;
  write(prefix: string, suffix: string, codec: StateCodec<unknown>, value: unknown, ts: number): void;
  remove(prefix: string, suffix: string): void;
  maybeFlush(): Promise<void> | undefined;
  flush(): Promise<void>;
  close(): Promise<void>;
}

class HeapEntry implements StateEntry {
  constructor(
    public value: unknown,
    public ts: number,
  ) {}
}

/**
 * Every entry decoded in memory, nothing ever written out (like Flink's HashMapStateBackend). Entries
 * with an empty suffix live in one Map by prefix; the others in a Map per prefix, by suffix. Values
 * are held by reference (not copied).
 */
export class HeapStateTable implements StateTable {
  private readonly flat = new Map<string, HeapEntry>();
  private readonly nested = new Map<string, Map<string, HeapEntry>>();
  private nestedEntries = 0;
  // The inner Map of the prefix used last: a record's accesses (e.g. to each of its windows) share
  // one prefix string, so the outer lookup is usually one pointer comparison.
  private lastPrefix = '';
  private lastInner: Map<string, HeapEntry> | undefined;
  // The entry read last: a read-modify-write (value() then update(), an aggregate's add) writes it in
  // place without a second lookup. Entries leave the Maps only through remove(), which forgets it.
  private readPrefix = '';
  private readSuffix = '';
  private readEntry: HeapEntry | undefined;

  private inner(prefix: string): Map<string, HeapEntry> | undefined {
    if (prefix === this.lastPrefix) return this.lastInner;
    const inner = this.nested.get(prefix);
    this.lastPrefix = prefix;
    this.lastInner = inner;
    return inner;
  }

  get size(): number {
    return this.flat.size + this.nestedEntries;
  }

  read(prefix: string, suffix: string): StateEntry | undefined {
    const e = suffix === '' ? this.flat.get(prefix) : this.inner(prefix)?.get(suffix);
    if (e !== undefined) {
      this.readPrefix = prefix;
      this.readSuffix = suffix;
      this.readEntry = e;
    }
    return e;
  }

  write(prefix: string, suffix: string, _codec: StateCodec<unknown>, value: unknown, ts: number): void {
    const last = this.readEntry;
    if (last !== undefined && prefix === this.readPrefix && suffix === this.readSuffix) {
      last.value = value;
      last.ts = ts;
      return;
    }
    if (suffix === '') {
      const e = this.flat.get(prefix);
      if (e !== undefined) {
        e.value = value;
        e.ts = ts;
      } else {
        flatten(prefix);
        this.flat.set(prefix, new HeapEntry(value, ts));
      }
      return;
    }
    let inner = this.inner(prefix);
    if (inner === undefined) {
      flatten(prefix);
      inner = new Map();
      this.nested.set(prefix, inner);
      this.lastInner = inner;
    }
    const e = inner.get(suffix);
    if (e !== undefined) {
      e.value = value;
      e.ts = ts;
    } else {
      flatten(suffix);
      inner.set(suffix, new HeapEntry(value, ts));
      this.nestedEntries++;
    }
  }

  remove(prefix: string, suffix: string): void {
    this.readEntry = undefined;
    if (suffix === '') {
      this.flat.delete(prefix);
      return;
    }
    const inner = this.inner(prefix);
    if (inner === undefined || !inner.delete(suffix)) return;
    this.nestedEntries--;
    if (inner.size === 0) {
      this.nested.delete(prefix);
      this.lastInner = undefined;
    }
  }

  /**
   * Calls `fn` for every entry (snapshots). `fn` must not change the table. The entry's value is the
   * live one: copy (encode) it before the table changes again.
   */
  forEachEntry(fn: (prefix: string, suffix: string, value: unknown, ts: number) => void): void {
    // forEach rather than for-of: no [key, value] array per entry (a snapshot visits every entry)
    this.flat.forEach((e, prefix) => fn(prefix, '', e.value, e.ts));
    this.nested.forEach((inner, prefix) => inner.forEach((e, suffix) => fn(prefix, suffix, e.value, e.ts)));
  }

  maybeFlush(): undefined {
    return undefined;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * Forces V8 to flatten a concatenated key string before it is kept as a Map key, so the key owns its
 * characters and never pins a larger string it was sliced from (e.g. a namespace cut out of a record).
 */
export function flatten(s: string): void {
  void Number(s);
}

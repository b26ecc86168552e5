/**
 * A StateTable holds the decoded state entries of one backend under latin1 key strings (the layout of
 * state-key-codec.ts). States read and write through it; the LevelDB table adds a bounded cache,
 * a write buffer and durability, the heap table is a plain Map.
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
  read(key: string, codec: StateCodec<unknown>): StateEntry | undefined;
  write(key: string, codec: StateCodec<unknown>, value: unknown, ts: number): void;
  remove(key: string): void;
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
 * Every entry decoded in one Map, nothing ever written out: for small state and tests. Values are
 * held by reference (not copied), like Flink's heap backend.
 */
export class HeapStateTable implements StateTable {
  private readonly entries = new Map<string, HeapEntry>();

  get size(): number {
    return this.entries.size;
  }

  read(key: string): StateEntry | undefined {
    return this.entries.get(key);
  }

  write(key: string, _codec: StateCodec<unknown>, value: unknown, ts: number): void {
    const e = this.entries.get(key);
    if (e !== undefined) {
      e.value = value;
      e.ts = ts;
    } else {
      flatten(key);
      this.entries.set(key, new HeapEntry(value, ts));
    }
  }

  remove(key: string): void {
    this.entries.delete(key);
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

/**
 * The current key of a keyed state backend and everything derived from it once per setCurrentKey():
 * its serialized bytes and key group, from which each state builds its key prefix (statePrefix()).
 *
 * Invariants: `active` is false until the first setCurrentKey(); when true, `keyGroup` lies in the
 * backend's key-group range and `keyBytes` is `serializeKey(key)` (valid until the next set(): number
 * keys reuse one array). `generation` changes whenever
 * the key changes, so states can cache per-key derived strings. Single-threaded: the task thread only.
 */
import { IllegalStateError, murmur3, serializeKey, serializeNumberKeyInto, type KeyGroupRange } from '@eddy/common';

export class CurrentKeyContext {
  active = false;
  key: unknown = undefined;
  keyGroup = -1;
  keyBytes: Uint8Array = new Uint8Array(0);
  generation = 0;

  constructor(
    readonly maxParallelism: number,
    readonly keyGroupRange: KeyGroupRange,
  ) {}

  /** keyBytes of a number key: rewritten by every set() (keyBytes is valid only until the next one). */
  private readonly numberBytes = new Uint8Array(9);

  set(key: unknown): void {
    if (this.active && key === this.key && (typeof key !== 'object' || key === null)) return;
    const bytes = serializeNumberKeyInto(key, this.numberBytes) ? this.numberBytes : serializeKey(key);
    const group = murmur3(bytes) % this.maxParallelism;
    const range = this.keyGroupRange;
    if (group < range.start || group > range.end) {
      throw new IllegalStateError(
        `key ${describe(key)} belongs to key group ${group}, outside this task's key-group range ` +
          `[${range.start}, ${range.end}] (maxParallelism ${this.maxParallelism}): ` +
          'records reached the wrong subtask (is the key selector deterministic?)',
      );
    }
    this.key = key;
    this.keyGroup = group;
    this.keyBytes = bytes;
    this.active = true;
    this.generation++;
  }

  /** Throws unless a key was set; `what` names the state for the message. */
  check(what: string): void {
    if (!this.active) {
      throw new IllegalStateError(
        `keyed state accessed outside a keyed context: ${what} was used before a current key was set; ` +
          'keyed state exists only on keyed streams: call keyBy() before this operator',
      );
    }
  }
}

function describe(key: unknown): string {
  try {
    const s = typeof key === 'string' ? JSON.stringify(key) : typeof key === 'bigint' ? `${key}n` : JSON.stringify(key) ?? String(key);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(key);
  }
}

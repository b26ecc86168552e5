/**
 * Key groups: the unit of keyed state and of rescaling. A key is serialized canonically, hashed with
 * murmur3 (x86, 32 bit, seed 0) and mapped to a key group in [0, maxParallelism); subtask i of p owns
 * the contiguous range Flink assigns. Identical in every process and on every run.
 */
export const DEFAULT_MAX_PARALLELISM = 128;
export const MAX_MAX_PARALLELISM = 32768;

export interface KeyGroupRange {
  readonly start: number; // inclusive
  readonly end: number; // inclusive; end < start means empty
}

export function murmur3(bytes: Uint8Array, seed = 0): number {
  let h = seed >>> 0;
  const n = bytes.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (n & 3) {
    case 3:
      k ^= bytes[blocks + 2]! << 16;
    // falls through
    case 2:
      k ^= bytes[blocks + 1]! << 8;
    // falls through
    case 1:
      k ^= bytes[blocks]!;
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);
const encoder = new TextEncoder();

/**
 * Canonical bytes of a key. Strings are UTF-8 behind a tag byte, numbers their float64, booleans one
 * byte; anything else (arrays, objects) its JSON with sorted object keys, so equal keys are equal bytes.
 */
export function serializeKey(key: unknown): Uint8Array {
  switch (typeof key) {
    case 'string': {
      const out = new Uint8Array(key.length * 3 + 1);
      out[0] = 0x73; // 's'
      const { written } = encoder.encodeInto(key, out.subarray(1));
      return out.subarray(0, written + 1);
    }
    case 'number': {
      scratchView.setFloat64(0, key === 0 ? 0 : key); // -0 and 0 are one key
      const out = new Uint8Array(9);
      out[0] = 0x6e; // 'n'
      out.set(scratch, 1);
      return out;
    }
    case 'bigint':
      return encoder.encode('b' + key.toString());
    case 'boolean':
      return Uint8Array.of(0x62, key ? 1 : 0);
    default:
      if (key === null || key === undefined) {
        throw new TypeError(`a key must not be ${key}: the key selector returned ${key}`);
      }
      return encoder.encode('j' + canonicalJson(key));
  }
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson((v as Record<string, unknown>)[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

/**
 * `serializeKey(key)` written into `into` (which must hold 9 bytes) when the key is a number; returns
 * false for other keys. Lets hot paths hash numeric keys without allocating.
 */
export function serializeNumberKeyInto(key: unknown, into: Uint8Array): boolean {
  if (typeof key !== 'number') return false;
  scratchView.setFloat64(0, key === 0 ? 0 : key); // -0 and 0 are one key
  into[0] = 0x6e; // 'n'
  into.set(scratch, 1);
  return true;
}

const numberKey = new Uint8Array(9);

export function assignToKeyGroup(key: unknown, maxParallelism: number): number {
  return murmur3(serializeNumberKeyInto(key, numberKey) ? numberKey : serializeKey(key)) % maxParallelism;
}

export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

export function keyGroupRangeForSubtask(maxParallelism: number, parallelism: number, subtask: number): KeyGroupRange {
  const start = Math.floor((subtask * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((subtask + 1) * maxParallelism - 1) / parallelism);
  return { start, end };
}

export function subtaskForKey(key: unknown, maxParallelism: number, parallelism: number): number {
  return operatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

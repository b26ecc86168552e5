/**
 * The byte layout of state keys, built as latin1 strings (one char per byte) so that the same string
 * is the heap cache's Map key and, via `Buffer.from(s, 'latin1')`, the LevelDB key:
 *
 *   value/list/reducing/aggregating: [key group u16 BE][state id u16 BE][len][serialized key][namespace utf8]
 *   map entry:                       [key group u16 BE][state id u16 BE][len][serialized key][len][namespace utf8][serialized user key]
 *   map key index:                   the map entry prefix with no user key (serialized keys are never empty)
 *
 * `len` is one byte below 0x80, else four bytes BE with the top bit set. A key group, and a key-group
 * range, is one contiguous scan. Key group 0xFFFF (never a real one, maxParallelism <= 32768) holds
 * metadata such as state ids.
 */

/** Key group of the metadata range. */
export const META_KEY_GROUP = 0xffff;

/** Two chars: a u16 big-endian. */
export function u16Chars(n: number): string {
  return String.fromCharCode(n >>> 8, n & 0xff);
}

/** The length prefix of a byte string of `len` bytes. */
export function lengthPrefix(len: number): string {
  if (len < 0x80) return String.fromCharCode(len);
  return String.fromCharCode(0x80 | (len >>> 24), (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
}

/** Up to this many bytes, strings are built with String.fromCharCode (4x faster than Buffer#toString). */
const SHORT = 256;

/** Bytes as a latin1 string (a fresh flat string, never a view of `bytes`). */
export function bytesToLatin1(bytes: Uint8Array): string {
  if (bytes.length > SHORT) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/**
 * `[key group u16][state id u16][len][key bytes]` as one flat latin1 string, built in one
 * String.fromCharCode call for short keys: the hot path of every state access after a key change.
 */
export function statePrefix(keyGroup: number, stateId: number, key: Uint8Array): string {
  const n = key.length;
  if (n === 9) {
    // a number key ('n' + float64): no intermediate array
    return String.fromCharCode(keyGroup >>> 8, keyGroup & 0xff, stateId >>> 8, stateId & 0xff, 9,
      key[0]!, key[1]!, key[2]!, key[3]!, key[4]!, key[5]!, key[6]!, key[7]!, key[8]!);
  }
  if (n >= 0x80) return u16Chars(keyGroup) + u16Chars(stateId) + lengthPrefix(n) + bytesToLatin1(key);
  const codes = new Array<number>(n + 5);
  codes[0] = keyGroup >>> 8;
  codes[1] = keyGroup & 0xff;
  codes[2] = stateId >>> 8;
  codes[3] = stateId & 0xff;
  codes[4] = n;
  for (let i = 0; i < n; i++) codes[i + 5] = key[i]!;
  return String.fromCharCode.apply(null, codes);
}

const ASCII = /^[\x00-\x7f]*$/;

// Operators switch between a few namespaces per record (a record's windows): remember the answers.
const NS_MEMO_LIMIT = 4096;
const nsMemo = new Map<string, string>();

/** A namespace's UTF-8 bytes as a latin1 string; ASCII namespaces are returned as they are. */
export function namespaceChars(namespace: string): string {
  const known = nsMemo.get(namespace);
  if (known !== undefined) return known;
  const chars = ASCII.test(namespace) ? namespace : Buffer.from(namespace, 'utf8').toString('latin1');
  if (nsMemo.size >= NS_MEMO_LIMIT) nsMemo.clear();
  nsMemo.set(namespace, chars);
  return chars;
}

/** Inverse of namespaceChars (for scans and debugging). */
export function namespaceFromChars(chars: string): string {
  return Buffer.from(chars, 'latin1').toString('utf8');
}

const decoder = new TextDecoder();

/**
 * Inverse of `serializeKey` from @eddy/common for a latin1 key string: strings, numbers, booleans and
 * bigints come back as they were; other keys come back as the parse of their canonical JSON (objects
 * with sorted keys, undefined array slots as null).
 */
export function deserializeKey(chars: string): unknown {
  const bytes = Buffer.from(chars, 'latin1');
  switch (bytes[0]) {
    case 0x73: // 's'
      return decoder.decode(bytes.subarray(1));
    case 0x6e: // 'n'
      return bytes.readDoubleBE(1);
    case 0x62: // 'b': boolean (one byte 0/1) or bigint (ASCII digits)
      if (bytes.length === 2 && bytes[1]! <= 1) return bytes[1] === 1;
      return BigInt(bytes.toString('latin1', 1));
    case 0x6a: // 'j'
      return JSON.parse(decoder.decode(bytes.subarray(1)));
    default:
      throw new Error(`not a serialized key: tag byte ${bytes[0]}`);
  }
}

/** The length of a length prefix starting with byte `first`, and the length it says (see lengthPrefix). */
function readLength(chars: string, at: number): { head: number; len: number } {
  const b = chars.charCodeAt(at);
  if (b < 0x80) return { head: 1, len: b };
  const len = ((b & 0x7f) * 0x1000000) + (chars.charCodeAt(at + 1) << 16) + (chars.charCodeAt(at + 2) << 8) + chars.charCodeAt(at + 3);
  return { head: 4, len };
}

/**
 * The length of the state prefix ([key group][state id][len][serialized key]) of a whole state key:
 * what a state's statePrefix() builds, so a restored key splits into the same (prefix, suffix) pair
 * the heap table stores it under. Throws a RangeError when the key is shorter than its prefix says.
 */
export function statePrefixLength(key: string): number {
  const { head, len } = readLength(key, 4);
  const n = 4 + head + len;
  if (key.length < 5 || n > key.length) throw new RangeError(`a state key of ${key.length} bytes is shorter than its prefix (${n} bytes)`);
  return n;
}

/** True when a map state's key suffix is its key index ([len][namespace] with no user key after it). */
export function isMapIndexSuffix(suffix: string): boolean {
  if (suffix.length === 0) return false;
  const { head, len } = readLength(suffix, 0);
  return suffix.length === head + len;
}

/** A serialized (latin1) key as its length prefix followed by its bytes. */
export function prefixedKey(chars: string): string {
  return lengthPrefix(chars.length) + chars;
}

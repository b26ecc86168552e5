/**
 * A batch format for the commonest shuffled records: plain objects of one shape whose every value is
 * a number (keys and aggregates such as `{ auction, price, bidder, dateTime }`). The key list travels
 * once per batch and each record is its values as float64, so encoding is a few typed stores per
 * record and decoding builds each record with one object literal — no per-value type tags, and -0,
 * NaN and ±Infinity survive as they are. Any other batch goes to the general codec.
 *
 * Layout: 0xc1 (a byte msgpack never uses), u8 key count K, K × (u8 length, latin1 key), u32 record
 * count N, then N × K float64 (little-endian). Encoders and decoders are specialised per key list
 * (generated code, for monomorphic property access); keys must be plain identifiers, which the
 * decoder checks before generating anything, so a peer's bytes cannot inject code.
 */

export const NUMBER_BATCH_TAG = 0xc1;
const MAX_KEYS = 32;
const MAX_KEY_LENGTH = 64;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Generated code per key list, bounded: a stream of ever-new shapes falls back to rebuilding. */
const MAX_SHAPES = 256;

type Writer = (records: readonly unknown[], view: DataView, offset: number) => boolean;
type Reader = (view: DataView, offset: number, count: number) => unknown[];

interface Shape {
  readonly keys: readonly string[];
  /** The header bytes (tag, keys, room for the count). */
  readonly header: Buffer;
  readonly write: Writer;
  readonly read: Reader;
}

const shapes = new Map<string, Shape>();

/** The keys of `r` when it is a plain object with 1..MAX_KEYS identifier keys and number values. */
function numberShapeKeys(r: unknown): string[] | undefined {
  if (typeof r !== 'object' || r === null || Object.getPrototypeOf(r) !== Object.prototype) return undefined;
  const keys: string[] = [];
  for (const k in r) {
    if (typeof (r as Record<string, unknown>)[k] !== 'number' || k.length > MAX_KEY_LENGTH || !IDENTIFIER.test(k)) return undefined;
    keys.push(k);
    if (keys.length > MAX_KEYS) return undefined;
  }
  return keys.length === 0 ? undefined : keys;
}

function shapeOf(keys: readonly string[]): Shape {
  const id = keys.join(',');
  let shape = shapes.get(id);
  if (shape === undefined) {
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shape = buildShape(keys);
    shapes.set(id, shape);
  }
  return shape;
}

function buildShape(keys: readonly string[]): Shape {
  for (const k of keys) if (k.length > MAX_KEY_LENGTH || !IDENTIFIER.test(k)) throw new TypeError(`number batch: bad key ${JSON.stringify(k)}`);
  const header = Buffer.alloc(2 + keys.reduce((a, k) => a + 1 + k.length, 0));
  header[0] = NUMBER_BATCH_TAG;
  header[1] = keys.length;
  let p = 2;
  for (const k of keys) {
    header[p++] = k.length;
    p += header.write(k, p, 'latin1');
  }
  const q = keys.map((k) => JSON.stringify(k)); // quoted identifiers
  // Writer: every record must have exactly these keys, in this order, all numbers (checked by
  // for-in, which also catches extra keys); false sends the batch to the general codec.
  const write = new Function('records', 'view', 'offset', `
    'use strict';
    const keys = [${q.join(', ')}];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (typeof r !== 'object' || r === null || Object.getPrototypeOf(r) !== Object.prototype) return false;
      let n = 0;
      for (const k in r) { if (k !== keys[n]) return false; n++; }
      if (n !== ${keys.length}) return false;
      ${keys.map((_, j) => `const v${j} = r[${q[j]}]; if (typeof v${j} !== 'number') return false;`).join('\n      ')}
      ${keys.map((_, j) => `view.setFloat64(offset + ${8 * j}, v${j}, true);`).join('\n      ')}
      offset += ${8 * keys.length};
    }
    return true;`) as Writer;
  const read = new Function('view', 'offset', 'count', `
    'use strict';
    const out = new Array(count);
    for (let i = 0; i < count; i++, offset += ${8 * keys.length}) {
      out[i] = { ${keys.map((_, j) => `${q[j]}: view.getFloat64(offset + ${8 * j}, true)`).join(', ')} };
    }
    return out;`) as Reader;
  return { keys, header, write, read };
}

/** The batch in this format, or undefined when its records are not all number objects of one shape. */
export function encodeNumberBatch(records: readonly unknown[]): Buffer | undefined {
  if (records.length === 0) return undefined;
  const keys = numberShapeKeys(records[0]);
  if (keys === undefined) return undefined;
  const shape = shapeOf(keys);
  const start = shape.header.length + 4;
  const bytes = Buffer.allocUnsafe(start + 8 * keys.length * records.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!shape.write(records, view, start)) return undefined;
  shape.header.copy(bytes, 0);
  view.setUint32(shape.header.length, records.length, true);
  return bytes;
}

/** The records of a batch made by encodeNumberBatch; throws a TypeError on malformed bytes. */
export function decodeNumberBatch(bytes: Buffer): unknown[] {
  if (bytes.length < 2 || bytes[0] !== NUMBER_BATCH_TAG) throw new TypeError('number batch: bad tag');
  const count = bytes[1]!;
  if (count === 0 || count > MAX_KEYS) throw new TypeError(`number batch: ${count} keys`);
  const keys: string[] = [];
  let p = 2;
  for (let i = 0; i < count; i++) {
    const len = bytes[p];
    if (len === undefined || p + 1 + len > bytes.length) throw new TypeError('number batch: truncated key list');
    keys.push(bytes.toString('latin1', p + 1, p + 1 + len));
    p += 1 + len;
  }
  if (p + 4 > bytes.length) throw new TypeError('number batch: truncated record count');
  const n = bytes.readUInt32LE(p);
  p += 4;
  if (bytes.length - p !== 8 * count * n) {
    throw new TypeError(`number batch: ${bytes.length - p} bytes of values for ${n} records of ${count} numbers`);
  }
  const shape = shapeOf(keys); // validates the keys before generating a reader
  return shape.read(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), p, n);
}

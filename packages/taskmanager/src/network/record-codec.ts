/**
 * Record codecs: how one buffer's batch of records becomes bytes. A codec encodes a whole batch
 * at once (one call per network buffer, never per record) and is self-describing per batch: a
 * buffer decodes without any state shared with other buffers, so channels need no codec
 * handshake and a lost connection loses no dictionary.
 */
import { addExtension, Packr, Unpackr } from 'msgpackr';
import { ValidationError } from '@eddy/common';
import { NUMBER_BATCH_TAG, decodeNumberBatch, encodeNumberBatch } from './number-record-batch.js';

export interface RecordCodec {
  readonly name: string;
  encode(records: readonly unknown[]): Buffer;
  decode(bytes: Buffer): unknown[];
}

export type RecordCodecName = 'msgpack' | 'json';

/**
 * The codec for `name`; the default is msgpack, measured about 2x faster than JSON for encode +
 * decode of Nexmark bids (bench/micro/codec.ts).
 */
export function createRecordCodec(name: RecordCodecName = 'msgpack'): RecordCodec {
  if (name === 'msgpack') return new MsgpackRecordCodec();
  if (name === 'json') return new JsonRecordCodec();
  throw new ValidationError(`unknown record codec ${String(name)}`);
}

/** msgpack cannot tell 0 from -0 (msgpackr writes both as integer 0): -0 travels as extension. */
class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();
const NEGATIVE_ZERO_EXT = 0x2d;
/** msgpack for `[]`. */
const EMPTY_ARRAY = Buffer.from([0x90]);
addExtension({
  Class: NegativeZero,
  type: NEGATIVE_ZERO_EXT,
  pack: () => Buffer.alloc(0),
  unpack: () => -0,
});

/**
 * msgpack through msgpackr with per-batch record structures (`useRecords`): each batch carries the
 * key lists of its object shapes once, and decoding builds objects through one constructor per
 * shape, so records come back with monomorphic shapes. A batch of plain objects of one shape with
 * only number values (keys, counts, prices) takes the faster number-batch format instead.
 *
 * Strings: msgpackr (with its native string extractor) returns strings sliced from one string per
 * batch that holds only the batch's string bytes; the network Buffer itself is not retained by any
 * decoded value, nor by msgpackr's module state. State that keeps strings for long should still copy them (ARCHITECTURE.md §3).
 */
export class MsgpackRecordCodec implements RecordCodec {
  readonly name = 'msgpack';
  private readonly packr = new Packr({ useRecords: true, moreTypes: false });
  private readonly unpackr = new Unpackr({ useRecords: true });

  encode(records: readonly unknown[]): Buffer {
    const numbers = encodeNumberBatch(records);
    if (numbers !== undefined) return numbers;
    const value = hasNegativeZero(records) ? replaceNegativeZero(records) : records;
    return this.packr.pack(value);
  }

  decode(bytes: Buffer): unknown[] {
    if (bytes[0] === NUMBER_BATCH_TAG) return decodeNumberBatch(bytes);
    let value: unknown;
    try {
      value = this.unpackr.unpack(bytes);
    } finally {
      // msgpackr keeps the last source (and a DataView on it) in module state: point it at a tiny
      // constant instead, so no network buffer outlives its decode.
      this.unpackr.unpack(EMPTY_ARRAY);
    }
    if (!Array.isArray(value)) throw new TypeError('msgpack batch is not an array');
    return value;
  }
}

function hasNegativeZero(value: unknown): boolean {
  if (typeof value === 'number') return value === 0 && 1 / value < 0;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasNegativeZero(value[i])) return true;
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' ? hasNegativeZero(v) : v === 0 && 1 / v < 0) return true;
  }
  return false;
}

/** A copy of `value` with every -0 replaced by the extension marker; the rare path only. */
function replaceNegativeZero(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(replaceNegativeZero);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = replaceNegativeZero((value as Record<string, unknown>)[key]);
  return out;
}

/** First byte of a JSON batch: whether the decoder must run the reviver (rare). */
const JSON_PLAIN = 0;
const JSON_ESCAPED = 1;
/** Strings starting with NUL are escaped by one more NUL; `"\0-0"` stands for -0. */
const NUL = '\u0000';
const NEG_ZERO_TOKEN = '\u0000-0';

/**
 * UTF-8 JSON of the record array, behind one flag byte. JSON has no -0, so -0 is written as a
 * reserved string and strings that could be mistaken for it are escaped; the flag tells the
 * decoder whether any escaping happened, so ordinary batches decode with a plain `JSON.parse`.
 * Decoded strings are fresh copies: nothing retains the network buffer.
 */
export class JsonRecordCodec implements RecordCodec {
  readonly name = 'json';

  encode(records: readonly unknown[]): Buffer {
    let escaped = false;
    const text = JSON.stringify(records, (_key, v: unknown) => {
      if (typeof v === 'number') {
        if (v === 0 && 1 / v < 0) {
          escaped = true;
          return NEG_ZERO_TOKEN;
        }
      } else if (typeof v === 'string' && v.charCodeAt(0) === 0) {
        escaped = true;
        return NUL + v;
      }
      return v;
    });
    const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(text));
    bytes[0] = escaped ? JSON_ESCAPED : JSON_PLAIN;
    bytes.write(text, 1);
    return bytes;
  }

  decode(bytes: Buffer): unknown[] {
    const text = bytes.toString('utf8', 1);
    const value: unknown = bytes[0] === JSON_ESCAPED ? JSON.parse(text, revive) : JSON.parse(text);
    if (!Array.isArray(value)) throw new TypeError('json batch is not an array');
    return value;
  }
}

function revive(_key: string, v: unknown): unknown {
  if (typeof v !== 'string' || v.charCodeAt(0) !== 0) return v;
  return v === NEG_ZERO_TOKEN ? -0 : v.slice(1);
}

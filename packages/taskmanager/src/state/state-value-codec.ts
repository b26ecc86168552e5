/**
 * Value encodings of keyed state: the default codec for JSON-like values, the list codec built from
 * an element codec, and the stored-value framing that carries the TTL timestamp.
 *
 * Stored value bytes (LevelDB): `[header u8]` then, when the header is 1, `[timestamp f64 BE]`, then
 * the codec's bytes. The header makes stored data readable after a TTL setting changes.
 */
import { Packr } from 'msgpackr';
import type { StateCodec } from '@eddy/common';

/**
 * msgpackr without record extensions (so bytes never depend on shared structures) and with copied
 * binary values (so a decoded value never keeps the read buffer alive). Round-trips objects, arrays,
 * strings, numbers (doubles stay float64), booleans, null and undefined. Limits: `-0` decodes as `0`;
 * Map, Set, Date and class instances are not JSON-like and come back as plain data or extension types.
 */
const packr = new Packr({ useRecords: false, copyBuffers: true, mapsAsObjects: true });

export const defaultStateCodec: StateCodec<unknown> = {
  encode: (value) => packr.pack(value),
  decode: (bytes) => packr.unpack(bytes),
};

/** Encodes a list of elements with an element codec: `[count u32]` then `[len u32][bytes]` per element. */
export function listCodec(element: StateCodec<unknown> | undefined): StateCodec<unknown> {
  if (element === undefined) return defaultStateCodec;
  return {
    encode(value) {
      const list = value as unknown[];
      const parts = list.map((v) => element.encode(v));
      let size = 4;
      for (const p of parts) size += 4 + p.length;
      const out = Buffer.allocUnsafe(size);
      out.writeUInt32BE(parts.length, 0);
      let pos = 4;
      for (const p of parts) {
        out.writeUInt32BE(p.length, pos);
        out.set(p, pos + 4);
        pos += 4 + p.length;
      }
      return out;
    },
    decode(bytes) {
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      const n = buf.readUInt32BE(0);
      const list = new Array<unknown>(n);
      let pos = 4;
      for (let i = 0; i < n; i++) {
        const len = buf.readUInt32BE(pos);
        list[i] = element.decode(buf.subarray(pos + 4, pos + 4 + len));
        pos += 4 + len;
      }
      return list;
    },
  };
}

/** Encodes a map-state key index (a set of serialized user keys as latin1 strings). */
export const keyIndexCodec: StateCodec<unknown> = {
  encode(value) {
    const keys = value as Set<string>;
    let size = 0;
    for (const k of keys) size += 4 + k.length;
    const out = Buffer.allocUnsafe(size);
    let pos = 0;
    for (const k of keys) {
      out.writeUInt32BE(k.length, pos);
      out.write(k, pos + 4, 'latin1');
      pos += 4 + k.length;
    }
    return out;
  },
  decode(bytes) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const keys = new Set<string>();
    let pos = 0;
    while (pos < buf.length) {
      const len = buf.readUInt32BE(pos);
      keys.add(buf.toString('latin1', pos + 4, pos + 4 + len));
      pos += 4 + len;
    }
    return keys;
  },
};

/** No timestamp stored: the entry never expires. */
export const NO_TIMESTAMP = -1;

/** Frames a value with its TTL timestamp (NO_TIMESTAMP for none) for LevelDB. */
export function encodeStored(codec: StateCodec<unknown>, value: unknown, ts: number): Buffer {
  const payload = codec.encode(value);
  const head = ts === NO_TIMESTAMP ? 1 : 9;
  const out = Buffer.allocUnsafe(head + payload.length);
  if (ts === NO_TIMESTAMP) out[0] = 0;
  else {
    out[0] = 1;
    out.writeDoubleBE(ts, 1);
  }
  out.set(payload, head);
  return out;
}

/** The timestamp of stored bytes, NO_TIMESTAMP when none. */
export function storedTimestamp(bytes: Buffer): number {
  return bytes[0] === 1 ? bytes.readDoubleBE(1) : NO_TIMESTAMP;
}

/** The decoded value of stored bytes. */
export function decodeStored(codec: StateCodec<unknown>, bytes: Buffer): unknown {
  return codec.decode(bytes.subarray(bytes[0] === 1 ? 9 : 1));
}

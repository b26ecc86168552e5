/**
 * The content of keyed-state snapshot files (magic EKST) inside the key-group container
 * (key-group-file.ts):
 *
 *   header body  state count u16, then per state: state id u16, kind u8 (value 0, list 1, map 2,
 *                reducing 3, aggregating 4), operator id (u16 length + UTF-8), state name (same)
 *   entry        state id u16, key length u32, key, value length u32, value
 *
 * `key` is the entry's state key without its first four bytes (key group and state id: the block
 * and the entry say them): [len][serialized key][namespace...] as in state-key-codec.ts. `value` is
 * the stored framing of state-value-codec.ts (header byte, TTL timestamp when present, codec bytes),
 * so TTL timestamps survive and LevelDB values are copied as they are. State ids are this file's
 * own: a restore maps each to the restoring backend's id for (operator id, state name).
 */
import type { StateSpec } from '@eddy/common';
import { ByteBuilder, ByteReader } from './byte-builder.js';
import type { KeyGroupFileReader } from './key-group-file-reader.js';
import { NO_TIMESTAMP } from '../state-value-codec.js';

export type StateKind = StateSpec['kind'];

/** One row of the state-id table. */
export interface SnapshotStateInfo {
  readonly id: number;
  readonly kind: StateKind;
  readonly operatorId: string;
  readonly name: string;
}

const KINDS: readonly StateKind[] = ['value', 'list', 'map', 'reducing', 'aggregating'];

/** The file name of a keyed-state snapshot of a key-group range. */
export function keyedSnapshotFileName(range: { start: number; end: number }): string {
  return `keyed-${range.start}-${range.end}.v1`;
}

export function encodeStateTable(states: readonly SnapshotStateInfo[]): Buffer {
  const b = new ByteBuilder(256);
  b.u16(states.length);
  for (const s of states) {
    b.u16(s.id);
    b.u8(KINDS.indexOf(s.kind));
    b.shortString(s.operatorId);
    b.shortString(s.name);
  }
  return Buffer.from(b.view());
}

/** The state-id table of a file, by state id. */
export function decodeStateTable(reader: KeyGroupFileReader): Map<number, SnapshotStateInfo> {
  const fail = (reason: string): never => reader.corrupt(`the state-id table is malformed: ${reason}`);
  const r = new ByteReader(reader.body, fail);
  const out = new Map<number, SnapshotStateInfo>();
  const n = r.u16('the state count');
  for (let i = 0; i < n; i++) {
    const id = r.u16('a state id');
    const kind = KINDS[r.u8('a state kind')];
    if (kind === undefined) fail(`state ${id} has an unknown kind`);
    const operatorId = r.shortString('an operator id');
    const name = r.shortString('a state name');
    out.set(id, { id, kind: kind!, operatorId, name });
  }
  if (r.remaining !== 0) fail(`${r.remaining} bytes follow the table`);
  return out;
}

/**
 * Appends one entry of a live value: its key is `prefix` + `suffix` of the heap table (latin1, the
 * prefix's first four chars left out), its value `payload` of the state's codec, framed in place as
 * state-value-codec.ts stores it, without an intermediate buffer.
 */
export function encodeValueEntry(out: ByteBuilder, stateId: number, prefix: string, suffix: string, payload: Uint8Array, ts: number): void {
  out.u16(stateId);
  out.u32(prefix.length - 4 + suffix.length);
  out.latin1(prefix, 4);
  out.latin1(suffix);
  if (ts === NO_TIMESTAMP) {
    out.u32(1 + payload.length);
    out.u8(0);
  } else {
    out.u32(9 + payload.length);
    out.u8(1);
    out.f64(ts);
  }
  out.bytes(payload);
}

/** Appends one entry with a full LevelDB key (key group and state id first, as stored). */
export function encodeStoredEntry(out: ByteBuilder, key: Buffer, value: Uint8Array): void {
  out.u16(key.readUInt16BE(2));
  out.u32(key.length - 4);
  out.bytes(key.subarray(4));
  out.u32(value.length);
  out.bytes(value);
}

/**
 * Calls `fn` for every entry of a key group's block (views of the block: copy what is kept) and checks
 * that the block holds exactly `count` entries.
 */
export function forEachEntry(
  reader: KeyGroupFileReader,
  keyGroup: number,
  entries: Buffer,
  count: number,
  fn: (stateId: number, keyRest: Buffer, value: Buffer) => void,
): void {
  const r = new ByteReader(entries, (reason) => reader.corrupt(`key group ${keyGroup} is malformed: ${reason}`));
  let n = 0;
  while (r.remaining > 0) {
    const stateId = r.u16('a state id');
    const keyRest = r.bytes(r.u32('a key length'), 'a key');
    const value = r.bytes(r.u32('a value length'), 'a value');
    fn(stateId, keyRest, value);
    n++;
  }
  if (n !== count) reader.corrupt(`key group ${keyGroup} holds ${n} entries, its block says ${count}`);
}

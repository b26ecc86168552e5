/**
 * The container of every key-grouped snapshot file (keyed state, timers): version 1. All integers
 * big-endian; u64 is two u32 (high, low) and stays below 2^53.
 *
 *   header   magic (4 ASCII bytes: the content kind)  version u16 = 1
 *            max parallelism u32   key-group start u32   key-group end u32 (inclusive; end < start: empty)
 *            checkpoint id f64     body length u32       body (content-specific: state-id table, ...)
 *            crc32 u32 of every header byte before it
 *   blocks   one per non-empty key group, ascending: entries (content-specific), entry count u32,
 *            crc32 u32 of the entries and the count
 *   index    per key group of the range, ascending: block offset u64, block length u32 (0: no entries);
 *            crc32 u32 of the index
 *   trailer  index offset u64   index length u32   "EKGX"
 *
 * The index is at the end because offsets are known only once blocks are written; the fixed-size
 * trailer finds it, and a missing trailer tells a truncated file. A restore for another key-group
 * range reads the header, the index and only the blocks of its groups.
 */
import type { KeyGroupRange } from '@eddy/common';

export const FORMAT_VERSION = 1;
export const TRAILER_MAGIC = 'EKGX';
export const TRAILER_BYTES = 16;
/** Fixed header fields before the body: magic, version, max parallelism, range, checkpoint id, body length. */
export const HEADER_FIXED_BYTES = 4 + 2 + 4 + 4 + 4 + 8 + 4;
export const INDEX_ENTRY_BYTES = 12;
/** Block bytes after the entries: count and crc. */
export const BLOCK_TAIL_BYTES = 8;

/** Magic of keyed-state files. */
export const KEYED_STATE_MAGIC = 'EKST';
/** Magic of timer files. */
export const TIMERS_MAGIC = 'ETMR';

/** What the fixed part of a header says. */
export interface KeyGroupFileMeta {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly checkpointId: number;
}

/** The number of key groups of a range (0 when empty). */
export function rangeSize(range: KeyGroupRange): number {
  return range.end < range.start ? 0 : range.end - range.start + 1;
}

/** The key groups in both ranges (empty when none). */
export function intersectRanges(a: KeyGroupRange, b: KeyGroupRange): KeyGroupRange {
  return { start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) };
}

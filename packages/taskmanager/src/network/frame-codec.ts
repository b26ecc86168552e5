/**
 * The frame layer of the TaskManager <-> TaskManager data channels (see
 * proto/eddy/v1/dataexchange.proto). Every frame is `[u32 length][u8 type][payload]`, big endian,
 * where `length` counts the type byte and the payload (so it is at least 1).
 */
import { FrameFormatError } from './network-errors.js';

export const FrameType = {
  HANDSHAKE: 1,
  DATA: 2,
  EVENT: 3,
  CREDIT: 4,
  /** DATA whose records carry event-time timestamps: `[u32 n][n x f64 LE][codec batch]`. */
  DATA_TIMESTAMPED: 5,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/**
 * Event kinds carried by an EVENT frame: the first payload byte; fixed-size fields follow (see
 * network-event.ts and dataexchange.proto).
 */
export const EventKind = { END_OF_PARTITION: 1, WATERMARK: 2, WATERMARK_STATUS: 3, BARRIER: 4 } as const;

/** Bytes before the payload: the u32 length and the u8 type. */
export const FRAME_HEADER_BYTES = 5;
/** Frames whose length field exceeds this are rejected before any allocation. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The 5-byte header of a frame whose payload has `payloadBytes` bytes. */
export function frameHeader(type: FrameType, payloadBytes: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32BE(payloadBytes + 1, 0);
  header[4] = type;
  return header;
}

/** A whole frame (header and payload in one buffer); for the small control frames. */
export function encodeFrame(type: FrameType, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame[4] = type;
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export function encodeCreditFrame(credits: number): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + 4);
  frame.writeUInt32BE(5, 0);
  frame[4] = FrameType.CREDIT;
  frame.writeUInt32BE(credits, FRAME_HEADER_BYTES);
  return frame;
}

export function encodeEventFrame(kind: number): Buffer {
  return Buffer.from([0, 0, 0, 2, FrameType.EVENT, kind]);
}

/** Bytes of a DATA_TIMESTAMPED payload before the timestamps: the u32 record count. */
export const TIMESTAMP_COUNT_BYTES = 4;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Everything of a DATA_TIMESTAMPED frame before the codec batch: the 5-byte header, the u32 record
 * count and the `count` timestamps as little-endian float64 (a memcpy on little-endian hosts), for
 * a batch of `bodyBytes` encoded bytes. `timestamps` may be longer than `count` (a reused array).
 */
export function encodeTimestampedDataHead(timestamps: Float64Array, count: number, bodyBytes: number): Buffer {
  const blockBytes = TIMESTAMP_COUNT_BYTES + 8 * count;
  const head = Buffer.allocUnsafe(FRAME_HEADER_BYTES + blockBytes);
  head.writeUInt32BE(1 + blockBytes + bodyBytes, 0);
  head[4] = FrameType.DATA_TIMESTAMPED;
  head.writeUInt32BE(count, FRAME_HEADER_BYTES);
  const at = FRAME_HEADER_BYTES + TIMESTAMP_COUNT_BYTES;
  if (LITTLE_ENDIAN_HOST) {
    head.set(new Uint8Array(timestamps.buffer, timestamps.byteOffset, 8 * count), at);
  } else {
    for (let i = 0; i < count; i++) head.writeDoubleLE(timestamps[i]!, at + 8 * i);
  }
  return head;
}

/**
 * The record count of a DATA_TIMESTAMPED payload after checking that the payload holds the count
 * and the whole timestamp block; throws {@link FrameFormatError} otherwise.
 */
export function timestampedRecordCount(payload: Buffer): number {
  if (payload.length < TIMESTAMP_COUNT_BYTES) throw new FrameFormatError('timestamped data frame without record count');
  const count = payload.readUInt32BE(0);
  if (TIMESTAMP_COUNT_BYTES + 8 * count > payload.length) {
    throw new FrameFormatError(`timestamped data frame too short for ${count} timestamps`);
  }
  return count;
}

/** The timestamps of a checked DATA_TIMESTAMPED payload, as a fresh array. */
export function decodeTimestamps(payload: Buffer, count: number): Float64Array {
  const out = new Float64Array(count);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(payload.subarray(TIMESTAMP_COUNT_BYTES, TIMESTAMP_COUNT_BYTES + 8 * count));
  } else {
    for (let i = 0; i < count; i++) out[i] = payload.readDoubleLE(TIMESTAMP_COUNT_BYTES + 8 * i);
  }
  return out;
}

export type FrameHandler = (type: number, payload: Buffer) => void;

/**
 * Splits a byte stream into frames, however the stream was chunked.
 *
 * Invariants: a frame that lies wholly inside one chunk is handed out as a zero-copy `subarray` of
 * that chunk; only a frame that spans chunks is copied, once, into a buffer of exactly its size, so
 * no chunk is ever re-concatenated with the next. A length field of 0 or above `maxFrameBytes`
 * throws {@link FrameFormatError} before anything is allocated; after a throw the decoder must be
 * discarded (its connection is closed). Payloads handed to the handler may alias the chunk: the
 * handler must not keep them past the chunk's lifetime unless it accepts retaining the chunk.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private body: Buffer | undefined;
  private bodyType = 0;
  private bodyFill = 0;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
  ) {}

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.headerFill === 0 && this.body === undefined;
  }

  push(chunk: Buffer): void {
    const n = chunk.length;
    let off = 0;
    if (!this.idle) {
      off = this.completePartial(chunk);
      if (off < 0) return;
    }
    while (n - off >= FRAME_HEADER_BYTES) {
      const length = this.checkLength(chunk.readUInt32BE(off));
      if (n - off - 4 < length) break;
      this.onFrame(chunk[off + 4]!, chunk.subarray(off + FRAME_HEADER_BYTES, off + 4 + length));
      off += 4 + length;
    }
    if (off < n) this.startPartial(chunk, off);
  }

  /** Continues the partial frame with the head of `chunk`; the offset consumed, or -1 if all. */
  private completePartial(chunk: Buffer): number {
    let off = 0;
    if (this.body === undefined) {
      const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, chunk.length);
      chunk.copy(this.header, this.headerFill, 0, take);
      this.headerFill += take;
      off = take;
      if (this.headerFill < FRAME_HEADER_BYTES) return -1;
      if (this.beginBody(this.header, 0)) return off;
    }
    const body = this.body!;
    const take = Math.min(body.length - this.bodyFill, chunk.length - off);
    chunk.copy(body, this.bodyFill, off, off + take);
    this.bodyFill += take;
    off += take;
    if (this.bodyFill < body.length) return -1;
    this.body = undefined;
    this.headerFill = 0;
    this.onFrame(this.bodyType, body);
    return off;
  }

  /** Stores the tail of `chunk` (from `off`) that does not hold a whole frame. */
  private startPartial(chunk: Buffer, off: number): void {
    const rest = chunk.length - off;
    if (rest < FRAME_HEADER_BYTES) {
      chunk.copy(this.header, 0, off);
      this.headerFill = rest;
      return;
    }
    chunk.copy(this.header, 0, off, off + FRAME_HEADER_BYTES);
    this.headerFill = FRAME_HEADER_BYTES;
    this.beginBody(this.header, 0);
    const body = this.body!;
    chunk.copy(body, 0, off + FRAME_HEADER_BYTES);
    this.bodyFill = rest - FRAME_HEADER_BYTES;
  }

  /** Reads a complete header; allocates the body, or emits an empty-payload frame (returns true). */
  private beginBody(header: Buffer, at: number): boolean {
    const length = this.checkLength(header.readUInt32BE(at));
    const type = header[at + 4]!;
    if (length === 1) {
      this.headerFill = 0;
      this.onFrame(type, Buffer.alloc(0));
      return true;
    }
    this.bodyType = type;
    this.body = Buffer.allocUnsafeSlow(length - 1);
    this.bodyFill = 0;
    return false;
  }

  private checkLength(length: number): number {
    if (length === 0 || length > this.maxFrameBytes) {
      throw new FrameFormatError(`invalid frame length ${length} (max ${this.maxFrameBytes})`);
    }
    return length;
  }
}

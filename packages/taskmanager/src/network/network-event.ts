/**
 * In-band events: small EVENT frames that travel on a channel in order with its data buffers
 * (watermarks, watermark status and checkpoint barriers). Wire format in
 * proto/eddy/v1/dataexchange.proto; END_OF_PARTITION is also an EVENT frame but is not a
 * NetworkEvent (the layer handles it itself).
 */
import { ValidationError } from '@eddy/common';
import { EventKind, FRAME_HEADER_BYTES, FrameType } from './frame-codec.js';
import { FrameFormatError } from './network-errors.js';

export type NetworkEvent =
  | { type: 'watermark'; timestamp: number }
  | { type: 'watermark-status'; idle: boolean }
  | { type: 'barrier'; checkpointId: number; timestamp: number };

/** Payload sizes (kind byte included) of the event kinds. */
const WATERMARK_BYTES = 1 + 8;
const WATERMARK_STATUS_BYTES = 1 + 1;
const BARRIER_BYTES = 1 + 8 + 8;
const TWO_POW_32 = 2 ** 32;

/**
 * The whole EVENT frame of `event`. Throws {@link ValidationError} for an event that cannot be
 * encoded: an unknown type, a timestamp that is not a number (NaN included), an idle flag that is
 * not boolean, or a checkpoint id that is not a safe integer >= 0.
 */
export function encodeNetworkEventFrame(event: NetworkEvent): Buffer {
  switch (event?.type) {
    case 'watermark': {
      const frame = eventFrame(EventKind.WATERMARK, WATERMARK_BYTES);
      frame.writeDoubleBE(checkTimestamp(event.timestamp, 'watermark'), FRAME_HEADER_BYTES + 1);
      return frame;
    }
    case 'watermark-status': {
      if (typeof event.idle !== 'boolean') throw new ValidationError('watermark-status event needs a boolean idle');
      const frame = eventFrame(EventKind.WATERMARK_STATUS, WATERMARK_STATUS_BYTES);
      frame[FRAME_HEADER_BYTES + 1] = event.idle ? 1 : 0;
      return frame;
    }
    case 'barrier': {
      const id = event.checkpointId;
      if (!Number.isSafeInteger(id) || id < 0) throw new ValidationError(`barrier checkpointId ${id} is not a safe integer >= 0`);
      const frame = eventFrame(EventKind.BARRIER, BARRIER_BYTES);
      frame.writeUInt32BE(Math.floor(id / TWO_POW_32), FRAME_HEADER_BYTES + 1);
      frame.writeUInt32BE(id % TWO_POW_32, FRAME_HEADER_BYTES + 5);
      frame.writeDoubleBE(checkTimestamp(event.timestamp, 'barrier'), FRAME_HEADER_BYTES + 9);
      return frame;
    }
    default:
      throw new ValidationError(`unknown network event type ${String((event as { type?: unknown } | undefined)?.type)}`);
  }
}

/**
 * The event of an EVENT payload other than END_OF_PARTITION, as a fresh object; throws
 * {@link FrameFormatError} for an unknown kind, a wrong payload size or an invalid field.
 */
export function decodeNetworkEvent(payload: Buffer): NetworkEvent {
  const kind = payload.length > 0 ? payload[0]! : -1;
  if (kind === EventKind.WATERMARK && payload.length === WATERMARK_BYTES) {
    return { type: 'watermark', timestamp: payload.readDoubleBE(1) };
  }
  if (kind === EventKind.WATERMARK_STATUS && payload.length === WATERMARK_STATUS_BYTES && payload[1]! <= 1) {
    return { type: 'watermark-status', idle: payload[1] === 1 };
  }
  if (kind === EventKind.BARRIER && payload.length === BARRIER_BYTES) {
    const checkpointId = payload.readUInt32BE(1) * TWO_POW_32 + payload.readUInt32BE(5);
    if (Number.isSafeInteger(checkpointId)) return { type: 'barrier', checkpointId, timestamp: payload.readDoubleBE(9) };
  }
  throw new FrameFormatError(`invalid event frame (kind ${kind}, ${payload.length} bytes)`);
}

function eventFrame(kind: number, payloadBytes: number): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes);
  frame.writeUInt32BE(payloadBytes + 1, 0);
  frame[4] = FrameType.EVENT;
  frame[FRAME_HEADER_BYTES] = kind;
  return frame;
}

function checkTimestamp(timestamp: number, what: string): number {
  if (typeof timestamp !== 'number' || Number.isNaN(timestamp)) {
    throw new ValidationError(`${what} event needs a timestamp that is a number other than NaN`);
  }
  return timestamp;
}

/**
 * The HANDSHAKE frame that opens every data connection: which consumer gate and which channel of it
 * the producer feeds. Encoded as the protobuf `eddy.v1.ChannelHandshake`.
 */
import { eddy } from '@eddy/proto';
import { encodeFrame, FrameType } from './frame-codec.js';
import { FrameFormatError } from './network-errors.js';

/**
 * The frame format version this code writes. Version 2 added DATA_TIMESTAMPED frames and the
 * watermark, watermark-status and barrier EVENT kinds; a version 1 stream is a valid version 2
 * stream, so handshakes of both versions are accepted.
 */
export const FRAME_FORMAT_VERSION = 2;
const MIN_FRAME_FORMAT_VERSION = 1;

export interface ChannelHandshake {
  taskKey: string;
  gateIndex: number;
  channelIndex: number;
}

export function encodeHandshakeFrame(h: ChannelHandshake): Buffer {
  const payload = eddy.v1.ChannelHandshake.encode({
    taskKey: h.taskKey,
    gateIndex: h.gateIndex,
    channelIndex: h.channelIndex,
    version: FRAME_FORMAT_VERSION,
  }).finish();
  return encodeFrame(FrameType.HANDSHAKE, payload);
}

/** Decodes and validates a HANDSHAKE payload; throws {@link FrameFormatError} if unusable. */
export function decodeHandshake(payload: Buffer): ChannelHandshake {
  let message: eddy.v1.ChannelHandshake;
  try {
    message = eddy.v1.ChannelHandshake.decode(payload);
  } catch (e) {
    throw new FrameFormatError(`undecodable handshake: ${(e as Error).message}`);
  }
  if (!(message.version >= MIN_FRAME_FORMAT_VERSION && message.version <= FRAME_FORMAT_VERSION)) {
    throw new FrameFormatError(`unsupported frame format version ${message.version}`);
  }
  if (message.taskKey === '') throw new FrameFormatError('handshake without task key');
  return { taskKey: message.taskKey, gateIndex: message.gateIndex, channelIndex: message.channelIndex };
}

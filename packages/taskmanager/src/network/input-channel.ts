/**
 * The consumer's end of one channel: one producer subtask's connection into an input gate.
 */
import { EventKind, FrameType, encodeCreditFrame, timestampedRecordCount } from './frame-codec.js';
import type { InboundConnection, InboundListener } from './inbound-connection.js';
import { FrameFormatError } from './network-errors.js';
import { decodeNetworkEvent, type NetworkEvent } from './network-event.js';

/** What a channel tells its gate. */
export interface InputChannelOwner {
  /** A DATA (`timestamped` false) or DATA_TIMESTAMPED (checked timestamp block) payload. */
  onBuffer(channel: number, payload: Buffer, timestamped: boolean): void;
  onEvent(channel: number, event: NetworkEvent): void;
  onEndOfPartition(channel: number): void;
  onChannelFailed(channel: number, error: Error): void;
}

/**
 * Credit accounting for one remote input channel.
 *
 * Invariants: `outstanding` (buffers the producer may still send) + buffers received and not yet
 * polled <= creditsPerChannel, so the channel never holds more than `creditsPerChannel` buffers; a
 * data frame (DATA or DATA_TIMESTAMPED) without credit is a protocol error. Events need no credit;
 * they are decoded (and validated) on arrival and handed on in frame order. Credit returned by polling accumulates in
 * `unannounced` and leaves as one CREDIT frame per channel per flush. Once END_OF_PARTITION
 * arrived, the connection closing is normal; before it, it is a failure reported to the gate.
 */
export class InputChannel implements InboundListener {
  private connection: InboundConnection | undefined;
  private outstanding = 0;
  private unannounced = 0;
  private ended = false;
  private released = false;

  constructor(
    readonly index: number,
    private readonly creditsPerChannel: number,
    private readonly owner: InputChannelOwner,
  ) {}

  get isConnected(): boolean {
    return this.connection !== undefined;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Binds the producer's connection and grants it the initial credit. */
  connect(connection: InboundConnection): void {
    this.connection = connection;
    connection.bind(this);
    this.outstanding = this.creditsPerChannel;
    connection.send(encodeCreditFrame(this.creditsPerChannel));
  }

  /** One buffer of this channel was consumed: one more credit to announce at the next flush. */
  returnCredit(): boolean {
    if (this.ended || this.released) return false;
    this.unannounced++;
    return this.unannounced === 1;
  }

  /** Sends the accumulated credit as one CREDIT frame. */
  announceCredit(): void {
    if (this.unannounced === 0 || this.connection === undefined || this.ended) return;
    this.outstanding += this.unannounced;
    this.connection.send(encodeCreditFrame(this.unannounced));
    this.unannounced = 0;
  }

  onFrame(type: number, payload: Buffer): void {
    if (this.ended) throw new FrameFormatError(`frame type ${type} after end of partition`);
    if (type === FrameType.DATA || type === FrameType.DATA_TIMESTAMPED) {
      if (this.outstanding === 0) throw new FrameFormatError('data frame without credit');
      const timestamped = type === FrameType.DATA_TIMESTAMPED;
      if (timestamped) timestampedRecordCount(payload);
      this.outstanding--;
      this.owner.onBuffer(this.index, payload, timestamped);
    } else if (type === FrameType.EVENT) {
      if (payload.length === 1 && payload[0] === EventKind.END_OF_PARTITION) {
        this.ended = true;
        this.owner.onEndOfPartition(this.index);
      } else {
        this.owner.onEvent(this.index, decodeNetworkEvent(payload));
      }
    } else {
      throw new FrameFormatError(`unexpected frame type ${type} on input channel`);
    }
  }

  onClosed(error: Error | undefined): void {
    this.connection = undefined;
    if (this.released || this.ended) return;
    this.owner.onChannelFailed(this.index, error ?? new Error('connection closed before end of partition'));
  }

  /** Closes the connection without reporting anything (the gate is closing). */
  release(): void {
    this.released = true;
    this.connection?.close();
  }

  /** Closes the connection because of `error` (reported through the close). */
  abort(error: Error): void {
    this.connection?.close(error);
  }
}

/**
 * One accepted data connection on the consumer side, from its first byte until it closes.
 */
import type { Socket } from 'node:net';
import type { Logger } from '@eddy/common';
import { decodeHandshake, type ChannelHandshake } from './channel-handshake.js';
import { FrameDecoder, FrameType } from './frame-codec.js';
import { FrameFormatError } from './network-errors.js';

/** What a bound connection reports to its input channel. */
export interface InboundListener {
  onFrame(type: number, payload: Buffer): void;
  /** The connection is gone; `error` is set when it failed (bad frame, socket error). */
  onClosed(error: Error | undefined): void;
}

/**
 * Reads frames from an accepted socket: the first frame must be HANDSHAKE, which is passed to
 * `onHandshake`; every later frame goes to the listener set by {@link bind}.
 *
 * Invariants: nothing thrown while handling a chunk escapes the socket's event handler; a bad
 * frame, a throwing listener or a frame other than HANDSHAKE before binding closes this connection
 * (and only this one) and reports it through `onClosed`. `onClosed` is called exactly once per
 * bound connection. Runs on the thread of its NetworkEnvironment.
 */
export class InboundConnection {
  private readonly decoder: FrameDecoder;
  private listener: InboundListener | undefined;
  private handshake: ChannelHandshake | undefined;
  private closed = false;
  private failure: Error | undefined;

  constructor(
    readonly socket: Socket,
    private readonly onHandshake: (c: InboundConnection, h: ChannelHandshake) => void,
    private readonly onGone: (c: InboundConnection) => void,
    private readonly logger: Logger,
  ) {
    this.decoder = new FrameDecoder((type, payload) => this.onFrame(type, payload));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.onSocketClose());
  }

  get channelHandshake(): ChannelHandshake | undefined {
    return this.handshake;
  }

  /** Routes every later frame to `listener`, which will also hear about the close. */
  bind(listener: InboundListener): void {
    this.listener = listener;
    if (this.closed) listener.onClosed(this.failure);
  }

  send(frame: Buffer): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(frame);
  }

  /** Closes the connection; `error` is reported to the listener and logged. */
  close(error?: Error): void {
    if (error !== undefined) this.failure ??= error;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.decoder.push(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private onFrame(type: number, payload: Buffer): void {
    if (this.listener !== undefined) {
      this.listener.onFrame(type, payload);
      return;
    }
    if (this.handshake !== undefined || type !== FrameType.HANDSHAKE) {
      throw new FrameFormatError(`unexpected frame type ${type} before the channel was bound`);
    }
    this.handshake = decodeHandshake(payload);
    this.onHandshake(this, this.handshake);
  }

  private fail(error: Error): void {
    if (this.failure === undefined) {
      this.failure = error;
      this.logger.warn('data connection failed', {
        remote: `${this.socket.remoteAddress}:${this.socket.remotePort}`,
        taskKey: this.handshake?.taskKey,
        gateIndex: this.handshake?.gateIndex,
        channel: this.handshake?.channelIndex,
        error: error.message,
      });
    }
    this.socket.destroy();
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.onGone(this);
    this.listener?.onClosed(this.failure);
  }
}

/**
 * The producer's end of one channel: a TCP connection to one consumer subtask's input gate.
 */
import { connect, type Socket } from 'node:net';
import type { Logger } from '@eddy/common';
import { encodeHandshakeFrame } from './channel-handshake.js';
import { EventKind, FrameDecoder, FrameType, encodeEventFrame, frameHeader } from './frame-codec.js';
import { FrameFormatError } from './network-errors.js';

export interface ConsumerAddress {
  host: string;
  port: number;
  taskKey: string;
  gateIndex: number;
}

/** What a channel tells its partition. */
export interface OutputChannelOwner {
  /** The queue got shorter (buffers were sent against credit). */
  onSent(channel: OutputChannel): void;
  onChannelFailed(channel: OutputChannel, error: Error): void;
}

/** Delays between connection attempts: about 5 s in all before a refused consumer is an error. */
const CONNECT_RETRY_DELAYS_MS = [100, 200, 400, 800, 1500, 2000];

/**
 * Sends encoded buffers to one consumer channel, each only against a credit the consumer granted.
 *
 * Invariants: at most `credit` DATA frames are written before the consumer returns credit, so the
 * bytes in flight (socket buffers + the consumer's unpolled buffers) are at most
 * creditsPerChannel buffers; unsent buffers wait in `queue`. END_OF_PARTITION is written only
 * after the whole queue, and needs no credit. A connection that fails before END_OF_PARTITION was
 * written (after the connect retries) is reported once through `onChannelFailed`; nothing throws
 * out of a socket event handler.
 */
export class OutputChannel {
  private socket: Socket | undefined;
  private readonly queue: Buffer[] = [];
  private queueBytes = 0;
  private credit = 0;
  private acknowledged = false;
  private finishing = false;
  private endSent = false;
  private done = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private finishWaiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    readonly index: number,
    private readonly address: ConsumerAddress,
    private readonly producerIndex: number,
    private readonly owner: OutputChannelOwner,
    private readonly logger: Logger,
  ) {
    this.connect();
  }

  get queued(): number {
    return this.queue.length;
  }

  get queuedBytes(): number {
    return this.queueBytes;
  }

  enqueue(buffer: Buffer): void {
    if (this.failure !== undefined || this.done) return;
    this.queue.push(buffer);
    this.queueBytes += buffer.length;
    if (this.credit > 0) this.sendQueued();
  }

  /** Resolves once END_OF_PARTITION was written to the socket after every queued buffer. */
  finish(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.finishWaiter = { resolve, reject };
      this.finishing = true;
      this.sendQueued();
    });
  }

  close(): void {
    this.done = true;
    clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.queue.length = 0;
    this.queueBytes = 0;
  }

  private connect(): void {
    const socket = connect({ host: this.address.host, port: this.address.port, noDelay: true });
    this.socket = socket;
    const decoder = new FrameDecoder((type, payload) => this.onFrame(type, payload));
    socket.on('connect', () => {
      socket.write(encodeHandshakeFrame({ ...this.address, channelIndex: this.producerIndex }));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch (e) {
        this.fail(e as Error);
      }
    });
    socket.on('error', (e) => this.onSocketError(socket, e));
    socket.on('close', () => this.onSocketClose(socket));
  }

  private onFrame(type: number, payload: Buffer): void {
    if (type !== FrameType.CREDIT || payload.length !== 4) {
      throw new FrameFormatError(`unexpected frame type ${type} on output channel`);
    }
    this.acknowledged = true;
    this.credit += payload.readUInt32BE(0);
    this.sendQueued();
  }

  private sendQueued(): void {
    const socket = this.socket;
    if (socket === undefined || !this.acknowledged || this.endSent || this.done) return;
    let sent = 0;
    if (this.credit > 0 && this.queue.length > 0) {
      socket.cork();
      while (this.credit > 0 && this.queue.length > 0) {
        const buffer = this.queue.shift()!;
        this.queueBytes -= buffer.length;
        this.credit--;
        sent++;
        socket.write(frameHeader(FrameType.DATA, buffer.length));
        socket.write(buffer);
      }
      socket.uncork();
    }
    if (this.finishing && this.queue.length === 0) {
      this.endSent = true;
      socket.write(encodeEventFrame(EventKind.END_OF_PARTITION), () => this.onEndWritten());
    }
    if (sent > 0) this.owner.onSent(this);
  }

  private onEndWritten(): void {
    if (this.failure !== undefined) return;
    this.done = true;
    this.socket?.end();
    this.finishWaiter?.resolve();
  }

  private onSocketError(socket: Socket, e: Error & { code?: string }): void {
    const retriable = !this.acknowledged && socket.bytesWritten === 0 && !this.done;
    if (retriable && this.attempt < CONNECT_RETRY_DELAYS_MS.length) {
      const delay = CONNECT_RETRY_DELAYS_MS[this.attempt++]!;
      this.logger.debug('data connection retry', { ...this.address, delayMs: delay, error: e.code ?? e.message });
      this.socket = undefined;
      this.retryTimer = setTimeout(() => this.connect(), delay);
      return;
    }
    this.fail(e);
  }

  private onSocketClose(socket: Socket): void {
    if (socket !== this.socket || this.done) return;
    this.fail(new Error('connection to consumer closed before end of partition'));
  }

  private fail(error: Error): void {
    if (this.failure !== undefined || this.done) return;
    this.failure = error;
    this.done = true;
    this.socket?.destroy();
    this.queue.length = 0;
    this.queueBytes = 0;
    this.finishWaiter?.reject(error);
    this.owner.onChannelFailed(this, error);
  }
}

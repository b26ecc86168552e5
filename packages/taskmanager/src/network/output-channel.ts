/**
 * The producer's end of one channel: a TCP connection to one consumer subtask's input gate.
 */
import { connect, type Socket } from 'node:net';
import type { Logger } from '@eddy/common';
import { encodeHandshakeFrame } from './channel-handshake.js';
import { EventKind, FRAME_HEADER_BYTES, FrameDecoder, FrameType, encodeEventFrame } from './frame-codec.js';
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

/**
 * One frame waiting in a channel's queue, immutable (a broadcast shares it between channels):
 * `head` is written, then `body` if set. DATA and DATA_TIMESTAMPED frames need one credit each;
 * EVENT frames need none. `payloadBytes` counts everything after the 5-byte frame header.
 */
export interface QueuedFrame {
  readonly head: Buffer;
  readonly body: Buffer | undefined;
  readonly needsCredit: boolean;
  readonly payloadBytes: number;
}

/** A data frame (DATA or DATA_TIMESTAMPED) made of `head` (header included) and the codec batch. */
export function dataFrame(head: Buffer, body: Buffer): QueuedFrame {
  return { head, body, needsCredit: true, payloadBytes: head.length - FRAME_HEADER_BYTES + body.length };
}

/** A whole EVENT frame; sent without credit, but never before the frames queued ahead of it. */
export function eventFrame(frame: Buffer): QueuedFrame {
  return { head: frame, body: undefined, needsCredit: false, payloadBytes: frame.length - FRAME_HEADER_BYTES };
}

/** Delays between connection attempts: about 5 s in all before a refused consumer is an error. */
const CONNECT_RETRY_DELAYS_MS = [100, 200, 400, 800, 1500, 2000];

/**
 * Sends encoded buffers to one consumer channel, each only against a credit the consumer granted,
 * and in-band events, which need no credit.
 *
 * Invariants: frames are written in the order they were enqueued; at most `credit` data frames are
 * written before the consumer returns credit, so the bytes in flight (socket buffers + the
 * consumer's unpolled buffers) are at most creditsPerChannel buffers (plus events); unsent frames
 * wait in `queue`. An event is written as soon as every frame before it was written: a data frame
 * waiting for credit holds the events behind it. END_OF_PARTITION is written only after the whole
 * queue, and needs no credit. A connection that fails before END_OF_PARTITION was
 * written (after the connect retries) is reported once through `onChannelFailed`; nothing throws
 * out of a socket event handler.
 */
export class OutputChannel {
  private socket: Socket | undefined;
  private queue: (QueuedFrame | undefined)[] = [];
  /** Index of the first unsent frame in `queue`. */
  private head = 0;
  private queueBytes = 0;
  private queueBuffers = 0;
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

  /** Data frames waiting for credit (events are not counted). */
  get queued(): number {
    return this.queueBuffers;
  }

  /** Payload bytes of the frames waiting to be written (events included). */
  get queuedBytes(): number {
    return this.queueBytes;
  }

  enqueue(frame: QueuedFrame): void {
    if (this.failure !== undefined || this.done) return;
    this.queue.push(frame);
    this.queueBytes += frame.payloadBytes;
    if (frame.needsCredit) this.queueBuffers++;
    // Only a lone frame can go out without new credit: behind others, the front one waits for it.
    if (this.credit > 0 || this.head === this.queue.length - 1) this.sendQueued();
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
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (socket && this.endSent && this.failure === undefined && this.done) {
      // Finished cleanly: the socket is half-closed and the consumer closes it once it has read
      // everything. Destroying it now would answer the consumer's last credit with a reset, and a
      // reset can discard data the consumer has not read yet.
      setTimeout(() => socket.destroy(), 30_000).unref();
    } else {
      socket?.destroy();
    }
    this.done = true;
    this.clearQueue();
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
    const queue = this.queue;
    let head = this.head;
    if (head < queue.length && (this.credit > 0 || !queue[head]!.needsCredit)) {
      socket.cork();
      while (head < queue.length) {
        const frame = queue[head]!;
        if (frame.needsCredit) {
          if (this.credit === 0) break;
          this.credit--;
          sent++;
        }
        queue[head++] = undefined;
        this.queueBytes -= frame.payloadBytes;
        socket.write(frame.head);
        if (frame.body !== undefined) socket.write(frame.body);
      }
      socket.uncork();
      this.queueBuffers -= sent;
      if (head === queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (head >= 64 && head * 2 >= queue.length) {
        this.queue = queue.slice(head);
        this.head = 0;
      } else {
        this.head = head;
      }
    }
    if (this.finishing && this.head === this.queue.length) {
      this.endSent = true;
      socket.write(encodeEventFrame(EventKind.END_OF_PARTITION), () => this.onEndWritten());
    }
    if (sent > 0) this.owner.onSent(this);
  }

  private clearQueue(): void {
    this.queue = [];
    this.head = 0;
    this.queueBytes = 0;
    this.queueBuffers = 0;
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
    this.clearQueue();
    this.finishWaiter?.reject(error);
    this.owner.onChannelFailed(this, error);
  }
}

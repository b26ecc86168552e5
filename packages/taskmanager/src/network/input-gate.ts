/**
 * The consuming side of one input edge of a task: one channel per producer subtask.
 */
import type { Logger } from '@eddy/common';
import { ValidationError } from '@eddy/common';
import type { GateEndpoint } from './data-server.js';
import { decodeTimestamps, TIMESTAMP_COUNT_BYTES, timestampedRecordCount } from './frame-codec.js';
import type { InboundConnection } from './inbound-connection.js';
import { InputChannel, type InputChannelOwner } from './input-channel.js';
import { DataChannelError, FrameFormatError } from './network-errors.js';
import type { NetworkEvent } from './network-event.js';
import type { RecordCodec } from './record-codec.js';

export interface InputGateOptions {
  taskKey: string;
  gateIndex: number;
  numChannels: number;
  creditsPerChannel: number;
  codec: RecordCodec;
}

/**
 * What pollNext returns: a buffer's records (with `timestamps[i]` the event time of `records[i]`,
 * NaN for none; `timestamps` is undefined when no record of the buffer had one), an in-band event
 * in its place in the channel's order, or `'end'` once every channel ended.
 */
export type GateEvent =
  | { channel: number; records: unknown[]; timestamps: Float64Array | undefined }
  | { channel: number; event: NetworkEvent }
  | 'end';

/** Kinds of the entries of the gate's queue. */
const DATA = 0;
const DATA_TIMESTAMPED = 1;
const EVENT = 2;

/**
 * Merges the buffers and events of all channels in arrival order and decodes each buffer when it
 * is polled.
 *
 * Invariants: buffers and events of one channel are returned in the order they were sent; events
 * take no credit and are not counted in `bufferedBytes`; the gate holds at
 * most `numChannels * creditsPerChannel` undecoded buffers (credit bounds them); each buffer polled
 * returns one credit to its channel, and the credit returned during one synchronous run of the task
 * leaves as one CREDIT frame per channel (a microtask flush). `'end'` is returned, and keeps being
 * returned, once every channel delivered END_OF_PARTITION and every buffer was polled. The first
 * failure of any channel sets `error`, which is never cleared; buffers already received can still
 * be polled. Single-threaded: all methods run on the thread of the owning NetworkEnvironment.
 */
export class InputGate implements GateEndpoint, InputChannelOwner {
  private readonly channels: InputChannel[];
  private queueChannels: number[] = [];
  private queueKinds: number[] = [];
  private queuePayloads: (Buffer | NetworkEvent | undefined)[] = [];
  private head = 0;
  private endedChannels = 0;
  private queuedBytes = 0;
  private creditFlushScheduled = false;
  private readonly creditDirty: InputChannel[] = [];
  private waiter: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly errorCallbacks: ((e: Error) => void)[] = [];
  private closed = false;
  private failure: Error | undefined;
  /** 1 for a channel held back by barrier alignment; its entries wait in `held`, in order. */
  private readonly blocked: Uint8Array;
  private blockedCount = 0;
  private held: { channel: number; kind: number; payload: Buffer | NetworkEvent }[] = [];

  constructor(
    private readonly options: InputGateOptions,
    private readonly logger: Logger,
    private readonly onClose: (gate: InputGate) => void,
  ) {
    if (!(options.numChannels >= 0) || !(options.creditsPerChannel >= 1)) {
      throw new ValidationError('input gate needs numChannels >= 0 and creditsPerChannel >= 1');
    }
    this.channels = Array.from({ length: options.numChannels }, (_, i) => new InputChannel(i, options.creditsPerChannel, this));
    this.blocked = new Uint8Array(options.numChannels);
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Undecoded bytes received and not yet polled (diagnostics and tests). */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  pollNext(): GateEvent | undefined {
    while (this.head < this.queuePayloads.length) {
      const channel = this.queueChannels[this.head]!;
      const kind = this.queueKinds[this.head]!;
      const item = this.queuePayloads[this.head]!;
      this.queuePayloads[this.head++] = undefined;
      if (this.head === this.queuePayloads.length) this.resetQueue();
      else if (this.head >= 1024 && this.head * 2 >= this.queuePayloads.length) this.compactQueue();
      if (this.blockedCount > 0 && this.blocked[channel] === 1) {
        // Held back, credit and all: a blocked channel's sender stops once its credit is used up.
        this.held.push({ channel, kind, payload: item });
        continue;
      }
      if (kind === EVENT) return { channel, event: item as NetworkEvent };
      const payload = item as Buffer;
      this.queuedBytes -= payload.length;
      let records: unknown[];
      let timestamps: Float64Array | undefined;
      try {
        if (kind === DATA) {
          records = this.options.codec.decode(payload);
        } else {
          const count = timestampedRecordCount(payload);
          timestamps = decodeTimestamps(payload, count);
          records = this.options.codec.decode(payload.subarray(TIMESTAMP_COUNT_BYTES + 8 * count));
          if (records.length !== count) {
            throw new FrameFormatError(`timestamped data frame has ${count} timestamps for ${records.length} records`);
          }
        }
      } catch (e) {
        this.onChannelFailed(channel, e as Error);
        this.channels[channel]!.abort(e as Error);
        return undefined;
      }
      this.returnCredit(this.channels[channel]!);
      return { channel, records, timestamps };
    }
    return this.endedChannels === this.channels.length && this.held.length === 0 ? 'end' : undefined;
  }

  /**
   * Holds back everything channel `channel` delivers from now on (barrier alignment): pollNext
   * skips it, and its unpolled buffers keep their credit, so its sender soon stops.
   */
  blockChannel(channel: number): void {
    if (this.channels[channel] === undefined) throw new ValidationError(`channel ${channel} out of range`);
    if (this.blocked[channel] === 1) return;
    this.blocked[channel] = 1;
    this.blockedCount++;
  }

  /** Releases every blocked channel; what they delivered meanwhile is polled first, in order. */
  unblockAllChannels(): void {
    if (this.blockedCount === 0) return;
    this.blocked.fill(0);
    this.blockedCount = 0;
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    const rest = this.head;
    this.queueChannels = [...held.map((h) => h.channel), ...this.queueChannels.slice(rest)];
    this.queueKinds = [...held.map((h) => h.kind), ...this.queueKinds.slice(rest)];
    this.queuePayloads = [...held.map((h) => h.payload), ...this.queuePayloads.slice(rest)];
    this.head = 0;
    this.wake();
  }

  /**
   * True once `channel` delivered END_OF_PARTITION. Its data before the end may still be queued:
   * it is all polled once pollNext() returns undefined while the channel is not blocked.
   */
  isChannelEnded(channel: number): boolean {
    return this.channels[channel]?.isEnded ?? false;
  }

  /** Undecoded bytes of the buffers held back by blocked channels (alignment diagnostics). */
  get heldBytes(): number {
    let n = 0;
    for (const h of this.held) if (h.kind !== EVENT) n += (h.payload as Buffer).length;
    return n;
  }

  availability(): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    if (this.waiter === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waiter = { promise, resolve };
    }
    return this.waiter.promise;
  }

  onError(cb: (e: Error) => void): void {
    this.errorCallbacks.push(cb);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.channels) c.release();
    this.resetQueue();
    this.held = [];
    this.queuedBytes = 0;
    this.onClose(this);
    this.wake();
  }

  attach(channelIndex: number, connection: InboundConnection): void {
    const channel = this.channels[channelIndex];
    if (this.closed) throw new ValidationError('input gate is closed');
    if (channel === undefined) throw new ValidationError(`channel ${channelIndex} out of range`);
    if (channel.isConnected || channel.isEnded) throw new ValidationError(`channel ${channelIndex} already connected`);
    channel.connect(connection);
  }

  onBuffer(channel: number, payload: Buffer, timestamped: boolean): void {
    this.queueChannels.push(channel);
    this.queueKinds.push(timestamped ? DATA_TIMESTAMPED : DATA);
    this.queuePayloads.push(payload);
    this.queuedBytes += payload.length;
    this.wake();
  }

  onEvent(channel: number, event: NetworkEvent): void {
    if (this.closed) return;
    this.queueChannels.push(channel);
    this.queueKinds.push(EVENT);
    this.queuePayloads.push(event);
    this.wake();
  }

  onEndOfPartition(_channel: number): void {
    this.endedChannels++;
    this.wake();
  }

  onChannelFailed(channel: number, cause: Error): void {
    if (this.closed || this.failure !== undefined) return;
    const { taskKey, gateIndex } = this.options;
    this.failure = new DataChannelError(
      `input channel ${channel} of ${taskKey} gate ${gateIndex} failed: ${cause.message}`,
      taskKey,
      gateIndex,
      channel,
      cause,
    );
    this.logger.warn('input channel failed', { taskKey, gateIndex, channel, error: cause.message });
    for (const cb of this.errorCallbacks) {
      try {
        cb(this.failure);
      } catch (e) {
        this.logger.error('input gate error callback threw', { taskKey, gateIndex, error: (e as Error).message });
      }
    }
    this.wake();
  }

  private isReady(): boolean {
    return (
      this.head < this.queuePayloads.length ||
      (this.endedChannels === this.channels.length && this.held.length === 0) ||
      this.closed ||
      this.failure !== undefined
    );
  }

  private wake(): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w.resolve();
    }
  }

  private resetQueue(): void {
    this.queueChannels = [];
    this.queueKinds = [];
    this.queuePayloads = [];
    this.head = 0;
  }

  private compactQueue(): void {
    this.queueChannels = this.queueChannels.slice(this.head);
    this.queueKinds = this.queueKinds.slice(this.head);
    this.queuePayloads = this.queuePayloads.slice(this.head);
    this.head = 0;
  }

  private returnCredit(channel: InputChannel): void {
    if (channel.returnCredit()) this.creditDirty.push(channel);
    if (!this.creditFlushScheduled && this.creditDirty.length > 0) {
      this.creditFlushScheduled = true;
      queueMicrotask(() => this.flushCredit());
    }
  }

  private flushCredit(): void {
    this.creditFlushScheduled = false;
    for (const c of this.creditDirty) c.announceCredit();
    this.creditDirty.length = 0;
  }
}

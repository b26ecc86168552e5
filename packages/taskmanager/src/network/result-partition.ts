/**
 * The producing side of one output edge of a task: one subpartition (channel) per consumer subtask.
 *
 * Memory bound. Let B = bufferSizeBytes, R = the largest encoded record, Q =
 * maxQueuedBuffersPerChannel, C = the consumers' creditsPerChannel and N = numChannels. A batch is
 * closed as soon as its estimated size reaches B, so one buffer is at most about B + R bytes. While
 * the caller checks isAvailable() before emitting (the task does, between batches), a channel holds
 * at most Q queued buffers plus one pending batch, and at most C more buffers are in flight (socket
 * buffers and the consumer's unpolled buffers, limited by credit). So the bytes of one edge are
 *
 *     producer side  <=  N * (Q + 1) * (B + R)
 *     in flight      <=  N * C * (B + R)          (consumer side of each channel: C * (B + R))
 *
 * plus, on the consumer, up to one socket read chunk (<= 64 KiB) retained per unpolled buffer whose
 * frame lay inside a larger chunk. A caller that ignores isAvailable() and emits E more records per
 * channel adds about E * bytesPerRecord to the producer side: the bound is cooperative, the
 * availability protocol is what enforces it.
 *
 * Timestamps add 4 + 8 * n bytes to a buffer of n records when any of them has one (counted in B:
 * the estimator sees whole payloads), nothing otherwise. Events are small frames outside this
 * bound: they need no credit and do not count towards Q, but wait behind a credit-blocked buffer.
 */
import type { Logger } from '@eddy/common';
import { IllegalStateError, ValidationError } from '@eddy/common';
import { BatchSizeEstimator } from './batch-size-estimator.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameType, encodeTimestampedDataHead, frameHeader } from './frame-codec.js';
import { encodeNetworkEventFrame, type NetworkEvent } from './network-event.js';
import {
  OutputChannel,
  dataFrame,
  eventFrame,
  type ConsumerAddress,
  type OutputChannelOwner,
  type QueuedFrame,
} from './output-channel.js';
import { DataChannelError, RecordTooLargeError } from './network-errors.js';
import type { RecordCodec } from './record-codec.js';

export interface ResultPartitionOptions {
  consumers: ConsumerAddress[];
  /** Our channel index at every consumer = the producer subtask index. */
  producerIndex: number;
  codec: RecordCodec;
  bufferSizeBytes: number;
  bufferTimeoutMs: number;
  maxQueuedBuffersPerChannel: number;
  /** Largest frame a receiver accepts; a bigger batch fails the partition. @default DEFAULT_MAX_FRAME_BYTES */
  maxFrameBytes?: number;
}

const NO_TIMESTAMPS = new Float64Array(0);
/** Smallest timestamp array allocated for a pending batch. */
const MIN_TIMESTAMP_CAPACITY = 64;

/**
 * Batches records per channel, encodes each batch once and queues it on the channel's connection.
 *
 * Invariants: records and events of one channel (emitted and broadcast) reach it in emission order,
 * each record with the timestamp it was emitted with (NaN = none); a buffer whose records all have
 * NaN carries no timestamp block and is byte-identical to an untimestamped one; every
 * non-empty pending batch is encoded within bufferTimeoutMs; isAvailable() is false exactly while
 * some channel has Q or more buffers waiting for credit (so a caller that respects it never lets
 * a queue exceed Q); `error` is the first channel failure and is never cleared. emit/broadcast are
 * synchronous and never await. Single-threaded: runs on the thread of its NetworkEnvironment.
 */
export class ResultPartition implements OutputChannelOwner {
  readonly numChannels: number;
  private readonly channels: OutputChannel[];
  private readonly pending: unknown[][];
  /**
   * Timestamps of each channel's pending batch, reused from batch to batch and grown on demand.
   * Written only while `pendingTimed[i]` is 1, i.e. once the batch got a non-NaN timestamp (the
   * earlier records' slots are then filled with NaN), so untimestamped streams never touch it.
   */
  private readonly pendingTs: Float64Array[];
  private readonly pendingTimed: Uint8Array;
  private broadcastPending: unknown[] = [];
  private broadcastTs: Float64Array = NO_TIMESTAMPS;
  private broadcastTimed = false;
  private readonly estimator: BatchSizeEstimator;
  private readonly maxQueued: number;
  private blockedChannels = 0;
  private readonly blocked: boolean[];
  private timer: NodeJS.Timeout | undefined;
  private waiter: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly errorCallbacks: ((e: Error) => void)[] = [];
  private failure: Error | undefined;
  private finished: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly options: ResultPartitionOptions,
    private readonly logger: Logger,
  ) {
    const { consumers, bufferSizeBytes, bufferTimeoutMs, maxQueuedBuffersPerChannel } = options;
    if (!(bufferSizeBytes > 0) || !(bufferTimeoutMs >= 0) || !(maxQueuedBuffersPerChannel >= 1)) {
      throw new ValidationError('result partition needs bufferSizeBytes > 0, bufferTimeoutMs >= 0, maxQueued >= 1');
    }
    this.numChannels = consumers.length;
    this.maxQueued = maxQueuedBuffersPerChannel;
    this.estimator = new BatchSizeEstimator(bufferSizeBytes);
    this.pending = consumers.map(() => []);
    this.pendingTs = consumers.map(() => NO_TIMESTAMPS);
    this.pendingTimed = new Uint8Array(consumers.length);
    this.blocked = consumers.map(() => false);
    this.channels = consumers.map((c, i) => new OutputChannel(i, c, options.producerIndex, this, logger));
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Encoded bytes waiting for credit, over all channels (diagnostics and tests). */
  get queuedBytes(): number {
    let n = 0;
    for (const c of this.channels) n += c.queuedBytes;
    return n;
  }

  /** Appends `record` to `channel`'s pending batch; `timestamp` is its event time, NaN for none. */
  emit(channel: number, record: unknown, timestamp: number = NaN): void {
    if (this.broadcastPending.length > 0) this.flushBroadcast();
    const batch = this.pending[channel];
    if (batch === undefined) throw new ValidationError(`channel ${channel} out of range`);
    if (timestamp === timestamp || this.pendingTimed[channel] === 1) this.stampChannel(channel, batch.length, timestamp);
    batch.push(record);
    if (batch.length >= this.estimator.targetRecords) this.flushChannel(channel);
    else if (this.timer === undefined) this.armTimer();
  }

  /** Appends `record` for every channel (encoded once per buffer); `timestamp` as for emit. */
  broadcast(record: unknown, timestamp: number = NaN): void {
    if (this.broadcastPending.length === 0) {
      for (let i = 0; i < this.numChannels; i++) if (this.pending[i]!.length > 0) this.flushChannel(i);
    }
    if (timestamp === timestamp || this.broadcastTimed) this.stampBroadcast(this.broadcastPending.length, timestamp);
    this.broadcastPending.push(record);
    if (this.broadcastPending.length >= this.estimator.targetRecords) this.flushBroadcast();
    else if (this.timer === undefined) this.armTimer();
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.broadcastPending.length > 0) this.flushBroadcast();
    for (let i = 0; i < this.numChannels; i++) if (this.pending[i]!.length > 0) this.flushChannel(i);
  }

  /**
   * Sends `event` on every channel after everything emitted before it: flushes every pending batch
   * first, then queues the event, which needs no credit but is never written before the buffers
   * queued ahead of it. Throws ValidationError for an unencodable event, IllegalStateError after
   * finish(); ignored after close(), like records.
   */
  broadcastEvent(event: NetworkEvent): void {
    const frame = eventFrame(encodeNetworkEventFrame(event));
    this.checkNotFinished();
    this.flush();
    for (const channel of this.channels) channel.enqueue(frame);
  }

  /** Sends `event` on one channel after everything emitted to it before; otherwise as broadcastEvent. */
  emitEvent(channel: number, event: NetworkEvent): void {
    const target = this.channels[channel];
    if (target === undefined) throw new ValidationError(`channel ${channel} out of range`);
    const frame = eventFrame(encodeNetworkEventFrame(event));
    this.checkNotFinished();
    if (this.broadcastPending.length > 0) this.flushBroadcast();
    else if (this.pending[channel]!.length > 0) this.flushChannel(channel);
    target.enqueue(frame);
  }

  isAvailable(): boolean {
    return this.blockedChannels === 0;
  }

  availability(): Promise<void> {
    if (this.blockedChannels === 0 || this.failure !== undefined || this.closed) return Promise.resolve();
    if (this.waiter === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waiter = { promise, resolve };
    }
    return this.waiter.promise;
  }

  finish(): Promise<void> {
    if (this.closed) return Promise.reject(new IllegalStateError('result partition is closed'));
    this.flush();
    this.finished ??= Promise.all(this.channels.map((c) => c.finish())).then(() => {
      this.closed = true;
    });
    return this.finished;
  }

  onError(cb: (e: Error) => void): void {
    this.errorCallbacks.push(cb);
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    for (const c of this.channels) c.close();
    this.wake();
  }

  onSent(channel: OutputChannel): void {
    this.updateBlocked(channel);
  }

  onChannelFailed(channel: OutputChannel, cause: Error): void {
    this.updateBlocked(channel);
    if (this.failure !== undefined || this.closed) return;
    const c = this.options.consumers[channel.index]!;
    this.logger.warn('output channel failed', { channel: channel.index, taskKey: c.taskKey, error: cause.message });
    this.failWith(
      new DataChannelError(
        `output channel ${channel.index} to ${c.taskKey} gate ${c.gateIndex} at ${c.host}:${c.port} failed: ${cause.message}`,
        c.taskKey,
        c.gateIndex,
        channel.index,
        cause,
      ),
    );
  }

  /** Records the partition's first failure and tells every listener once. */
  private failWith(failure: Error): void {
    if (this.failure !== undefined || this.closed) return;
    this.failure = failure;
    for (const cb of this.errorCallbacks) {
      try {
        cb(failure);
      } catch (e) {
        this.logger.error('result partition error callback threw', { error: (e as Error).message });
      }
    }
    this.wake();
  }

  private flushChannel(i: number): void {
    const records = this.pending[i]!;
    this.pending[i] = [];
    const timed = this.pendingTimed[i] === 1;
    this.pendingTimed[i] = 0;
    const frames = this.encodeBatch(records, timed ? this.pendingTs[i]! : undefined);
    if (frames === undefined) return;
    const channel = this.channels[i]!;
    for (const frame of frames) channel.enqueue(frame);
    this.updateBlocked(channel);
  }

  private flushBroadcast(): void {
    const records = this.broadcastPending;
    this.broadcastPending = [];
    const timed = this.broadcastTimed;
    this.broadcastTimed = false;
    const frames = this.encodeBatch(records, timed ? this.broadcastTs : undefined);
    if (frames === undefined) return;
    for (const channel of this.channels) {
      for (const frame of frames) channel.enqueue(frame);
      this.updateBlocked(channel);
    }
  }

  /**
   * The data frames of `records`, with `timestamps` (their first records.length slots) if given:
   * one frame, unless it would be above the receivers' frame limit; then the batch is split in
   * halves until every frame fits. Undefined, with the partition failed, when one record alone
   * does not fit.
   */
  private encodeBatch(records: unknown[], timestamps: Float64Array | undefined): QueuedFrame[] | undefined {
    const body = this.options.codec.encode(records);
    const head =
      timestamps === undefined
        ? frameHeader(FrameType.DATA, body.length)
        : encodeTimestampedDataHead(timestamps, records.length, body.length);
    const frame = dataFrame(head, body);
    const frameLength = frame.payloadBytes + 1; // the length field counts the type byte too
    const max = this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (frameLength <= max) {
      this.estimator.observe(records.length, frame.payloadBytes);
      return [frame];
    }
    if (records.length === 1) {
      this.failWith(new RecordTooLargeError(frameLength, max, 1));
      return undefined;
    }
    const half = records.length >>> 1;
    const first = this.encodeBatch(records.slice(0, half), timestamps?.subarray(0, half));
    const second = first && this.encodeBatch(records.slice(half), timestamps?.subarray(half, records.length));
    return first && second ? [...first, ...second] : undefined;
  }

  /** Sets slot `at` of channel i's batch timestamps (NaN-filling the earlier slots the first time). */
  private stampChannel(i: number, at: number, timestamp: number): void {
    let ts = this.pendingTs[i]!;
    if (at >= ts.length) this.pendingTs[i] = ts = grow(ts, at + 1);
    if (this.pendingTimed[i] === 0) {
      ts.fill(NaN, 0, at);
      this.pendingTimed[i] = 1;
    }
    ts[at] = timestamp;
  }

  private stampBroadcast(at: number, timestamp: number): void {
    let ts = this.broadcastTs;
    if (at >= ts.length) this.broadcastTs = ts = grow(ts, at + 1);
    if (!this.broadcastTimed) {
      ts.fill(NaN, 0, at);
      this.broadcastTimed = true;
    }
    ts[at] = timestamp;
  }

  private checkNotFinished(): void {
    if (this.finished !== undefined) throw new IllegalStateError('result partition is finished: no events after finish()');
  }

  private updateBlocked(channel: OutputChannel): void {
    const blocked = channel.queued >= this.maxQueued;
    if (blocked === this.blocked[channel.index]) return;
    this.blocked[channel.index] = blocked;
    this.blockedChannels += blocked ? 1 : -1;
    if (this.blockedChannels === 0) this.wake();
  }

  private armTimer(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.flush();
    }, this.options.bufferTimeoutMs);
  }

  private wake(): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w.resolve();
    }
  }
}

/** A copy of `ts` with room for at least `min` timestamps. */
function grow(ts: Float64Array, min: number): Float64Array {
  const next = new Float64Array(Math.max(MIN_TIMESTAMP_CAPACITY, ts.length * 2, min));
  next.set(ts);
  return next;
}

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
 */
import type { Logger } from '@eddy/common';
import { IllegalStateError, ValidationError } from '@eddy/common';
import { BatchSizeEstimator } from './batch-size-estimator.js';
import { OutputChannel, type ConsumerAddress, type OutputChannelOwner } from './output-channel.js';
import { DataChannelError } from './network-errors.js';
import type { RecordCodec } from './record-codec.js';

export interface ResultPartitionOptions {
  consumers: ConsumerAddress[];
  /** Our channel index at every consumer = the producer subtask index. */
  producerIndex: number;
  codec: RecordCodec;
  bufferSizeBytes: number;
  bufferTimeoutMs: number;
  maxQueuedBuffersPerChannel: number;
}

/**
 * Batches records per channel, encodes each batch once and queues it on the channel's connection.
 *
 * Invariants: records of one channel (emitted and broadcast) reach it in emission order; every
 * non-empty pending batch is encoded within bufferTimeoutMs; isAvailable() is false exactly while
 * some channel has Q or more buffers waiting for credit (so a caller that respects it never lets
 * a queue exceed Q); `error` is the first channel failure and is never cleared. emit/broadcast are
 * synchronous and never await. Single-threaded: runs on the thread of its NetworkEnvironment.
 */
export class ResultPartition implements OutputChannelOwner {
  readonly numChannels: number;
  private readonly channels: OutputChannel[];
  private readonly pending: unknown[][];
  private broadcastPending: unknown[] = [];
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

  emit(channel: number, record: unknown): void {
    if (this.broadcastPending.length > 0) this.flushBroadcast();
    const batch = this.pending[channel];
    if (batch === undefined) throw new ValidationError(`channel ${channel} out of range`);
    batch.push(record);
    if (batch.length >= this.estimator.targetRecords) this.flushChannel(channel);
    else if (this.timer === undefined) this.armTimer();
  }

  broadcast(record: unknown): void {
    if (this.broadcastPending.length === 0) {
      for (let i = 0; i < this.numChannels; i++) if (this.pending[i]!.length > 0) this.flushChannel(i);
    }
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
    this.failure = new DataChannelError(
      `output channel ${channel.index} to ${c.taskKey} gate ${c.gateIndex} at ${c.host}:${c.port} failed: ${cause.message}`,
      c.taskKey,
      c.gateIndex,
      channel.index,
      cause,
    );
    this.logger.warn('output channel failed', { channel: channel.index, taskKey: c.taskKey, error: cause.message });
    for (const cb of this.errorCallbacks) {
      try {
        cb(this.failure);
      } catch (e) {
        this.logger.error('result partition error callback threw', { error: (e as Error).message });
      }
    }
    this.wake();
  }

  private flushChannel(i: number): void {
    const records = this.pending[i]!;
    this.pending[i] = [];
    const bytes = this.options.codec.encode(records);
    this.estimator.observe(records.length, bytes.length);
    const channel = this.channels[i]!;
    channel.enqueue(bytes);
    this.updateBlocked(channel);
  }

  private flushBroadcast(): void {
    const records = this.broadcastPending;
    this.broadcastPending = [];
    const bytes = this.options.codec.encode(records);
    this.estimator.observe(records.length, bytes.length);
    for (const channel of this.channels) {
      channel.enqueue(bytes);
      this.updateBlocked(channel);
    }
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

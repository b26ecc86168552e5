/**
 * NexmarkSource: the Nexmark generator (docs/nexmark-spec.md) as a bounded Eddy source. The
 * enumerator hands each subtask one stride split (subtask i of p reads event ids i, i+p, … < events),
 * so the union over subtasks is exactly ids 0 … N−1 at any parallelism and each reader's timestamps
 * never decrease. Every event is emitted with its `dateTime` as the record timestamp.
 *
 * ```ts
 * const events = env.fromSource(new NexmarkSource({ events: 1_000_000 }), nexmarkWatermarks(), 'Nexmark');
 * const bids = nexmarkBids(events);            // DataStream<Bid>
 * ```
 */
import type { ReaderStatus, Source, SourceOutput, SourceReader, SourceReaderContext, SplitEnumeratorContext } from '@eddy/common';
import type { DataStream, SingleOutputStreamOperator } from '../../datastream.js';
import { WatermarkStrategy } from '../../watermarks.js';
import { checkStrideSplit, StrideSplitEnumerator, type StrideEnumeratorState, type StrideSplit } from '../stride-split.js';
import { generateEvents, nexmarkConfig, type Auction, type Bid, type NexmarkConfig, type NexmarkEvent, type Person } from './generator.js';

export interface NexmarkSourceOptions extends Partial<Omit<NexmarkConfig, 'events'>> {
  /** Total events N (event ids 0 … N−1). */
  readonly events: number;
  /** Wall-clock throttle: events per second across all subtasks; unlimited when absent. */
  readonly ratePerSecond?: number;
  /**
   * With a throttle: the wall-clock time (epoch ms) event 0 is due, shared by all subtasks in every
   * process (latency measurements). @default when the reader gets its split
   */
  readonly startAt?: number;
}

export class NexmarkSource implements Source<NexmarkEvent, StrideSplit, StrideEnumeratorState> {
  readonly boundedness = 'bounded' as const;
  /** The validated generator configuration. */
  readonly config: NexmarkConfig;
  readonly ratePerSecond: number | undefined;
  readonly startAt: number | undefined;

  constructor(options: NexmarkSourceOptions) {
    const { ratePerSecond, startAt, ...partial } = options;
    this.startAt = startAt;
    if (ratePerSecond !== undefined && !(ratePerSecond > 0)) {
      throw new TypeError(`NexmarkSource: ratePerSecond must be positive, got ${ratePerSecond}`);
    }
    this.config = nexmarkConfig(partial);
    this.ratePerSecond = ratePerSecond;
  }

  createEnumerator(ctx: SplitEnumeratorContext): StrideSplitEnumerator {
    return new StrideSplitEnumerator(ctx.parallelism);
  }

  /** Checkpoints: a split's position is its next event id, and events are a pure function of their id. */
  restoreEnumerator(ctx: SplitEnumeratorContext, state: StrideEnumeratorState): StrideSplitEnumerator {
    return StrideSplitEnumerator.restore(ctx, state, 'NexmarkSource');
  }

  createReader(_ctx: SourceReaderContext): SourceReader<NexmarkEvent, StrideSplit> {
    return new NexmarkReader(this.config, this.ratePerSecond, this.startAt);
  }

  describe(): string {
    const c = this.config;
    return `nexmark: ${c.events} events, seed ${c.seed}, ${c.rate} events/s of event time` +
      (this.ratePerSecond === undefined ? '' : `, throttled to ${this.ratePerSecond}/s`);
  }
}

/** Events generated at a time (generateEvents cuts the strings of several bids at once). */
const GENERATE_BATCH = 64;

/**
 * Emits ids pos, pos+stride, … synchronously. With a rate, event id e is due at
 * startedAt + e / rate seconds (the same schedule on every subtask), so the subtasks together
 * emit `rate` events per second. Splits are read one after the other (several only after a restore
 * at lower parallelism).
 */
class NexmarkReader implements SourceReader<NexmarkEvent, StrideSplit> {
  private pos = 0;
  private stride = 1;
  private index = 0;
  private active = false;
  private readonly queued: StrideSplit[] = [];
  private startedAt = -1;
  private readonly batch: NexmarkEvent[] = [];
  private readonly events: number;
  private readonly baseTime: number;
  private readonly eventRate: number;

  constructor(
    private readonly cfg: NexmarkConfig,
    private readonly ratePerSecond: number | undefined,
    startAt: number | undefined,
  ) {
    if (startAt !== undefined) this.startedAt = startAt;
    this.events = cfg.events;
    this.baseTime = cfg.baseTime;
    this.eventRate = cfg.rate;
  }

  addSplit(split: StrideSplit): void {
    const s = checkStrideSplit(split, 'NexmarkSource');
    if (this.active) this.queued.push(s);
    else this.start(s);
  }

  snapshotState(): StrideSplit[] {
    const current = this.active ? [{ index: this.index, of: this.stride, next: (this.pos - this.index) / this.stride }] : [];
    return [...current, ...this.queued];
  }

  private start(split: StrideSplit): void {
    this.index = split.index;
    this.stride = split.of;
    this.pos = split.index + split.next * split.of;
    this.active = true;
    if (this.startedAt < 0) {
      // A restored split goes on at the rate from where it stopped, instead of waiting until its
      // position is due on a schedule that starts now (with startAt, the shared schedule stands).
      const behind = split.next > 0 && this.ratePerSecond !== undefined ? (this.pos * 1000) / this.ratePerSecond : 0;
      this.startedAt = Date.now() - behind;
    }
  }

  pollNext(output: SourceOutput<NexmarkEvent>, maxRecords: number): ReaderStatus {
    if (!this.active) return 'needs-split';
    const cfg = this.cfg;
    const stride = this.stride;
    let end = this.events;
    const rate = this.ratePerSecond;
    if (rate !== undefined) {
      const due = Math.floor(((Date.now() - this.startedAt) * rate) / 1000) + 1; // ids < due are due
      if (due < end) end = due;
      if (this.pos >= end) return 'nothing-available';
    }
    const base = this.baseTime;
    const eventRate = this.eventRate;
    let pos = this.pos;
    const batch = this.batch;
    let left = Math.min(maxRecords, Math.ceil((end - pos) / stride));
    while (left > 0) {
      const n = Math.min(left, GENERATE_BATCH);
      batch.length = 0;
      generateEvents(cfg, pos, stride, n, batch);
      for (let i = 0; i < n; i++, pos += stride) output.collect(batch[i]!, base + Math.floor((pos * 1000) / eventRate));
      left -= n;
    }
    batch.length = 0;
    this.pos = pos;
    if (pos >= this.events) {
      this.active = false;
      const next = this.queued.shift();
      if (next === undefined) return 'needs-split';
      this.start(next);
    }
    return 'more';
  }

  available(): Promise<void> {
    const rate = this.ratePerSecond;
    let wait = 1;
    if (rate !== undefined && this.startedAt >= 0) {
      wait = Math.ceil(this.startedAt + (this.pos * 1000) / rate - Date.now());
    }
    return new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait, 50))));
  }
}

/** The event time of a Nexmark event (its dateTime). */
export function nexmarkDateTime(e: NexmarkEvent, _recordTimestamp?: number): number {
  const b = (e as { bid?: Bid }).bid;
  if (b !== undefined) return b.dateTime;
  const a = (e as { auction?: Auction }).auction;
  if (a !== undefined) return a.dateTime;
  return (e as { person: Person }).person.dateTime;
}

/** Monotonous timestamps (per generator split), assigned from each event's dateTime. */
export function nexmarkWatermarks(): WatermarkStrategy<NexmarkEvent> {
  return WatermarkStrategy.forMonotonousTimestamps<NexmarkEvent>().withTimestampAssigner(nexmarkDateTime);
}

/** The bids of a Nexmark event stream (one chained flatMap). */
export function nexmarkBids(events: DataStream<NexmarkEvent>): SingleOutputStreamOperator<Bid> {
  return events
    .flatMap<Bid>((e, out) => {
      const b = (e as { bid?: Bid }).bid;
      if (b !== undefined) out.collect(b);
    })
    .name('Bids');
}

/** The auctions of a Nexmark event stream. */
export function nexmarkAuctions(events: DataStream<NexmarkEvent>): SingleOutputStreamOperator<Auction> {
  return events
    .flatMap<Auction>((e, out) => {
      const a = (e as { auction?: Auction }).auction;
      if (a !== undefined) out.collect(a);
    })
    .name('Auctions');
}

/** The persons of a Nexmark event stream. */
export function nexmarkPersons(events: DataStream<NexmarkEvent>): SingleOutputStreamOperator<Person> {
  return events
    .flatMap<Person>((e, out) => {
      const p = (e as { person?: Person }).person;
      if (p !== undefined) out.collect(p);
    })
    .name('Persons');
}

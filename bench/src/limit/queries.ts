/**
 * The limit: each Nexmark query as one plain JavaScript loop over the generator, in one process, with
 * no engine — the fastest honest single-core implementation, and the independent reference that the
 * tests compare every engine's output with. The output records are exactly those of
 * docs/nexmark-queries.md.
 *
 * One generator instance emits ids 0 … N−1 in order, so event time never decreases and the watermark
 * is simply "the timestamp of the event being read, minus 1": a window [start, end) fires, and an
 * auction expiring at `expires` closes, just before the first event with a timestamp ≥ end (resp.
 * > expires) is processed, and everything left fires at the end of input (the final watermark).
 */
import { generateEvents, nexmarkConfig, type Auction, type Bid, type NexmarkConfig, type NexmarkEvent, type Person } from '@eddy/sdk';

export const LIMIT_QUERIES = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q7', 'q8'] as const;
export type LimitQuery = (typeof LIMIT_QUERIES)[number];

export interface LimitOptions {
  readonly events: number;
  readonly seed?: number;
  /** Other generator options (e.g. `rate`, the event-time rate). */
  readonly config?: Partial<Omit<NexmarkConfig, 'events' | 'seed'>>;
  /** Receives every output record. */
  readonly collect?: (out: unknown) => void;
  /** Wall-clock throttle in events/s; when set, the latency of every timed output is measured. */
  readonly ratePerSecond?: number;
}

export interface LimitResult {
  readonly outputs: number;
  /** Per output record with an event time (q0, q1, q5, q7, q8), when ratePerSecond is set: ms. */
  readonly latenciesMs?: Float64Array;
}

const WINDOW = 10_000;
const SLIDE = 2_000;
const Q3_CATEGORY = 10;

/** Where outputs go: counts them, hands them to `collect`, and measures latency when throttled. */
class Out {
  outputs = 0;
  latencies: Float64Array = new Float64Array(0);
  private nLat = 0;
  constructor(
    private readonly collect: ((out: unknown) => void) | undefined,
    private readonly clock: Clock | undefined,
  ) {
    if (clock) this.latencies = new Float64Array(1024);
  }

  /** An output record; `eventTime` is the event time its latency is measured from (NaN: none). */
  emit(record: unknown, eventTime: number): void {
    this.outputs++;
    if (this.collect !== undefined) this.collect(record);
    if (this.clock !== undefined && eventTime === eventTime) this.latency(this.clock.now() - this.clock.due(eventTime));
  }

  private latency(ms: number): void {
    if (ms < 0) return; // not yet due: a window flushed by the end of the input, not by the watermark
    if (this.nLat === this.latencies.length) {
      const next = new Float64Array(this.latencies.length * 2);
      next.set(this.latencies);
      this.latencies = next;
    }
    this.latencies[this.nLat++] = ms;
  }

  result(): LimitResult {
    return this.clock ? { outputs: this.outputs, latenciesMs: this.latencies.subarray(0, this.nLat) } : { outputs: this.outputs };
  }
}

/**
 * The wall clock of a throttled run: event id e is due at start + e / rate s, so event time T is due at
 * start + (T − baseTime) · eventRate / rate (with rate = the event-time rate: start + (T − baseTime)).
 */
class Clock {
  readonly start: number;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  constructor(
    private readonly cfg: NexmarkConfig,
    private readonly rate: number,
  ) {
    this.start = performance.now();
  }
  now(): number {
    return performance.now();
  }
  due(eventTime: number): number {
    return this.start + ((eventTime - this.cfg.baseTime) * this.cfg.rate) / this.rate;
  }
  /** Blocks until event id `id` is due; returns the first id not yet due. */
  waitFor(id: number): number {
    for (;;) {
      const elapsed = performance.now() - this.start;
      const allowed = Math.floor((elapsed * this.rate) / 1000) + 1;
      if (allowed > id) return allowed;
      const ms = (id * 1000) / this.rate - elapsed;
      Atomics.wait(this.sleeper, 0, 0, Math.max(0.05, ms));
    }
  }
}

export function runLimit(query: LimitQuery | string, options: LimitOptions): LimitResult {
  const cfg = nexmarkConfig({ ...options.config, events: options.events, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  const clock = options.ratePerSecond !== undefined ? new Clock(cfg, options.ratePerSecond) : undefined;
  const out = new Out(options.collect, clock);
  switch (query) {
    case 'q0':
      q0(cfg, out, clock);
      break;
    case 'q1':
      q1(cfg, out, clock);
      break;
    case 'q2':
      q2(cfg, out, clock);
      break;
    case 'q3':
      q3(cfg, out, clock);
      break;
    case 'q4':
      q4(cfg, out, clock);
      break;
    case 'q5':
      q5(cfg, out, clock);
      break;
    case 'q7':
      q7(cfg, out, clock);
      break;
    case 'q8':
      q8(cfg, out, clock);
      break;
    default:
      throw new TypeError(`unknown query '${query}' (known: ${LIMIT_QUERIES.join(', ')})`);
  }
  return out.result();
}

/** Events 0, 1, … read in id order, generated 64 at a time like the engines' sources do. */
function eventReader(cfg: NexmarkConfig): (id: number) => NexmarkEvent {
  const batch: NexmarkEvent[] = [];
  let base = 0;
  return (id) => {
    let i = id - base;
    if (i < 0 || i >= batch.length) {
      batch.length = 0;
      base = id;
      generateEvents(cfg, id, 1, Math.min(64, cfg.events - id), batch);
      i = 0;
    }
    return batch[i]!;
  };
}

const bidOf = (e: NexmarkEvent): Bid | undefined => (e as { bid?: Bid }).bid;
const auctionOf = (e: NexmarkEvent): Auction | undefined => (e as { auction?: Auction }).auction;
const personOf = (e: NexmarkEvent): Person | undefined => (e as { person?: Person }).person;

// ---------------------------------------------------------------------------------------------
// Stateless

function q0(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const b = bidOf(eventAt(id));
    if (b !== undefined) out.emit(b, b.dateTime);
  }
}

function q1(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const b = bidOf(eventAt(id));
    if (b !== undefined) {
      out.emit(
        { auction: b.auction, bidder: b.bidder, price: b.price * 0.908, channel: b.channel, url: b.url, dateTime: b.dateTime, extra: b.extra },
        b.dateTime,
      );
    }
  }
}

function q2(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const b = bidOf(eventAt(id));
    if (b !== undefined && b.auction % 123 === 0) out.emit({ auction: b.auction, price: b.price }, NaN);
  }
}

// ---------------------------------------------------------------------------------------------
// q3: incremental join of category-10 auctions with their sellers from OR, ID, CA

function q3(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  /** Qualifying persons (state OR, ID, CA) by id. */
  const persons = new Map<number, Person>();
  /** Auction ids of category 10 waiting for a seller not generated yet. */
  const pending = new Map<number, number[]>();
  let maxPersonId = -1; // person ids are generated in increasing order
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const e = eventAt(id);
    const a = auctionOf(e);
    if (a !== undefined) {
      if (a.category !== Q3_CATEGORY) continue;
      const p = persons.get(a.seller);
      if (p !== undefined) out.emit({ name: p.name, city: p.city, state: p.state, id: a.id }, NaN);
      else if (a.seller > maxPersonId) {
        const list = pending.get(a.seller);
        if (list === undefined) pending.set(a.seller, [a.id]);
        else list.push(a.id);
      }
      continue;
    }
    const p = personOf(e);
    if (p !== undefined) {
      maxPersonId = p.id;
      const s = p.state;
      const waiting = pending.get(p.id);
      if (waiting !== undefined) pending.delete(p.id);
      if (s !== 'OR' && s !== 'ID' && s !== 'CA') continue;
      persons.set(p.id, p);
      if (waiting !== undefined) for (const aid of waiting) out.emit({ name: p.name, city: p.city, state: p.state, id: aid }, NaN);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// q4: average final price of closed auctions per category

class OpenAuction {
  max = -1;
  constructor(
    readonly id: number,
    readonly dateTime: number,
    readonly expires: number,
    readonly category: number,
  ) {}
}

/** Bids for an auction id not generated yet: the highest price at the latest dateTime seen. */
class EarlyBids {
  constructor(
    public dateTime: number,
    public max: number,
  ) {}
}

/** A binary min-heap of open auctions by `expires`. */
class ExpiryHeap {
  private readonly items: OpenAuction[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): OpenAuction | undefined {
    return this.items[0];
  }
  push(a: OpenAuction): void {
    const h = this.items;
    let i = h.length;
    h.push(a);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (p.expires <= a.expires) break;
      h[i] = p;
      i = parent;
    }
    h[i] = a;
  }
  pop(): OpenAuction {
    const h = this.items;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const len = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= len) break;
        const r = l + 1;
        const c = r < len && h[r]!.expires < h[l]!.expires ? r : l;
        if (h[c]!.expires >= last.expires) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function q4(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  const open = new Map<number, OpenAuction>();
  const heap = new ExpiryHeap();
  const early = new Map<number, EarlyBids>();
  const sums = new Map<number, number>();
  const counts = new Map<number, number>();
  let maxAuctionId = -1; // auction ids are generated in increasing order
  const close = (a: OpenAuction): void => {
    open.delete(a.id);
    if (a.max < 0) return;
    const sum = (sums.get(a.category) ?? 0) + a.max;
    const count = (counts.get(a.category) ?? 0) + 1;
    sums.set(a.category, sum);
    counts.set(a.category, count);
    out.emit({ category: a.category, average: sum / count }, NaN);
  };
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const e = eventAt(id);
    const b = bidOf(e);
    const ts = b !== undefined ? b.dateTime : cfg.baseTime + Math.floor((id * 1000) / cfg.rate);
    // watermark = ts − 1: close every auction with expires ≤ ts − 1
    for (let top = heap.peek(); top !== undefined && top.expires < ts; top = heap.peek()) close(heap.pop());
    if (b !== undefined) {
      const a = open.get(b.auction);
      if (a !== undefined) {
        if (b.dateTime >= a.dateTime && b.dateTime <= a.expires && b.price > a.max) a.max = b.price;
      } else if (b.auction > maxAuctionId) {
        const x = early.get(b.auction);
        if (x === undefined) early.set(b.auction, new EarlyBids(b.dateTime, b.price));
        else if (b.dateTime > x.dateTime) {
          x.dateTime = b.dateTime;
          x.max = b.price;
        } else if (b.price > x.max) x.max = b.price;
      }
      continue;
    }
    const au = auctionOf(e);
    if (au !== undefined) {
      maxAuctionId = au.id;
      const a = new OpenAuction(au.id, au.dateTime, au.expires, au.category);
      const x = early.get(au.id);
      if (x !== undefined) {
        early.delete(au.id);
        if (x.dateTime >= a.dateTime) a.max = x.max; // earlier bids at the same millisecond count
      }
      open.set(a.id, a);
      heap.push(a);
    }
  }
  while (heap.size > 0) close(heap.pop());
}

// ---------------------------------------------------------------------------------------------
// q5: hot items — sliding windows of 10 s every 2 s, the auctions with the most bids

class Pane {
  readonly counts = new Map<number, number>();
  constructor(readonly start: number) {}
}

function q5(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  const panes: Pane[] = []; // in order of start, at most WINDOW / SLIDE
  let current: Pane | undefined;
  let nextEnd = -1; // end of the next window to fire; -1: no window open
  const agg = new Map<number, number>();
  const fire = (): void => {
    const end = nextEnd;
    const start = end - WINDOW;
    while (panes.length > 0 && panes[0]!.start < start) panes.shift();
    nextEnd += SLIDE;
    if (panes.length === 0) {
      nextEnd = -1;
      current = undefined;
      return;
    }
    if (panes[0]!.start >= end) return;
    agg.clear();
    let max = 0;
    for (const p of panes) {
      if (p.start >= end) break;
      for (const [auction, c] of p.counts) {
        const v = (agg.get(auction) ?? 0) + c;
        agg.set(auction, v);
        if (v > max) max = v;
      }
    }
    for (const [auction, c] of agg) if (c === max) out.emit({ auction, count: c, windowStart: start, windowEnd: end }, end);
  };
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const e = eventAt(id);
    const b = bidOf(e);
    const ts = b !== undefined ? b.dateTime : cfg.baseTime + Math.floor((id * 1000) / cfg.rate);
    while (nextEnd >= 0 && ts >= nextEnd) fire();
    if (b === undefined) continue;
    const paneStart = ts - (ts % SLIDE);
    if (current === undefined || current.start !== paneStart) {
      current = new Pane(paneStart);
      panes.push(current);
      if (nextEnd < 0) nextEnd = paneStart + SLIDE;
    }
    const counts = current.counts;
    counts.set(b.auction, (counts.get(b.auction) ?? 0) + 1);
  }
  while (nextEnd >= 0) fire();
}

// ---------------------------------------------------------------------------------------------
// q7: highest bids per tumbling 10 s window

function q7(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  let end = -1;
  let max = -1;
  const best: Bid[] = [];
  const fire = (): void => {
    for (const b of best) out.emit({ auction: b.auction, price: b.price, bidder: b.bidder, dateTime: b.dateTime, windowEnd: end }, end);
    best.length = 0;
    max = -1;
    end = -1;
  };
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const e = eventAt(id);
    const b = bidOf(e);
    const ts = b !== undefined ? b.dateTime : cfg.baseTime + Math.floor((id * 1000) / cfg.rate);
    if (end >= 0 && ts >= end) fire();
    if (b === undefined) continue;
    if (end < 0) end = ts - (ts % WINDOW) + WINDOW;
    if (b.price > max) {
      max = b.price;
      best.length = 0;
      best.push(b);
    } else if (b.price === max) best.push(b);
  }
  if (end >= 0) fire();
}

// ---------------------------------------------------------------------------------------------
// q8: new users who opened an auction in the same tumbling 10 s window

function q8(cfg: NexmarkConfig, out: Out, clock: Clock | undefined): void {
  const n = cfg.events;
  const eventAt = eventReader(cfg);
  let allowed = clock ? 0 : Infinity;
  let end = -1;
  const persons = new Map<number, string>();
  const sellers = new Set<number>();
  const fire = (): void => {
    const start = end - WINDOW;
    for (const [id, name] of persons) if (sellers.has(id)) out.emit({ id, name, windowStart: start }, end);
    persons.clear();
    sellers.clear();
    end = -1;
  };
  for (let id = 0; id < n; id++) {
    if (id >= allowed) allowed = clock!.waitFor(id);
    const e = eventAt(id);
    if (bidOf(e) !== undefined) {
      if (end >= 0 && cfg.baseTime + Math.floor((id * 1000) / cfg.rate) >= end) fire();
      continue;
    }
    const ts = cfg.baseTime + Math.floor((id * 1000) / cfg.rate);
    if (end >= 0 && ts >= end) fire();
    if (end < 0) end = ts - (ts % WINDOW) + WINDOW;
    const p = personOf(e);
    if (p !== undefined) persons.set(p.id, p.name);
    else sellers.add(auctionOf(e)!.seller);
  }
  if (end >= 0) fire();
}

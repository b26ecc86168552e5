/**
 * The Nexmark event generator of docs/nexmark-spec.md (normative; test vector
 * nexmark-seed42-first60.jsonl beside it). Every event is a pure function of (config, eventId):
 * it draws from its own random stream `state(seed, eventId)` in the spec's draw order, so any
 * split of the id range among parallel instances yields the same events. The Java port in
 * bench/flink (dev.eddy.nexmark.NexmarkGenerator) is kept in lock-step with this file.
 *
 * Speed: a WebAssembly kernel (wasm-kernel.ts) makes a bid's numbers and every string, the latter
 * into its memory, from which they are cut out with Buffer#latin1Slice (flat one-byte strings, no
 * cons-string ropes). Generating an event allocates only the event (two objects) and its strings.
 */
import {
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  HOT_BATCH,
  NUM_CATEGORIES,
  lastAuction,
  lastPerson,
  randomAuction,
  randomPerson,
} from './ids.js';
import { NexmarkRandom, fmix32 } from './random.js';
import {
  BID_OUT_ADDR,
  CONFIG_ADDR,
  OFFSETS_ADDR,
  SLACK,
  STATE_ADDR,
  STRINGS_ADDR,
  instantiateNexmarkKernel,
  maxBidStringBytes,
  maxExtraBytes,
  type NexmarkKernel,
} from './wasm-kernel.js';

export interface NexmarkConfig {
  /** Mixed into every event's random stream; an unsigned 32-bit integer. */
  readonly seed: number;
  /** Total events N; event ids are 0 … N−1. */
  readonly events: number;
  /** Events per second of event time (not wall time); an integer ≥ 1. */
  readonly rate: number;
  /** Event time (epoch ms) of event 0. */
  readonly baseTime: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  readonly numActivePeople: number;
  readonly numInFlightAuctions: number;
  readonly hotAuctionRatio: number;
  readonly hotSellersRatio: number;
  readonly hotBiddersRatio: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
}

/** The spec's defaults; `events` has none and must be given to nexmarkConfig. */
export const DEFAULT_NEXMARK_CONFIG: Readonly<Omit<NexmarkConfig, 'events'>> = Object.freeze({
  seed: 42,
  rate: 100_000,
  baseTime: 1_700_000_000_000,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
  hotAuctionRatio: 2,
  hotSellersRatio: 4,
  hotBiddersRatio: 4,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
});

/** Largest event count: every event id e keeps e * 1000 exact (below 2^53). */
export const MAX_NEXMARK_EVENTS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
const MAX_DRAW = 2 ** 21; // nextInt(n) requires n ≤ 2^21
const MAX_AVG_BYTES = 2 ** 20;

type Bounds = readonly [min: number, max: number];
const LIMITS: { readonly [K in keyof NexmarkConfig]: Bounds } = {
  seed: [0, 0xffffffff],
  events: [0, MAX_NEXMARK_EVENTS],
  rate: [1, 1e12],
  baseTime: [0, Number.MAX_SAFE_INTEGER],
  personProportion: [1, 1 << 16],
  auctionProportion: [1, 1 << 16],
  bidProportion: [0, 1 << 16],
  numActivePeople: [1, 2 ** 40],
  numInFlightAuctions: [0, 2 ** 40],
  hotAuctionRatio: [1, MAX_DRAW],
  hotSellersRatio: [1, MAX_DRAW],
  hotBiddersRatio: [1, MAX_DRAW],
  avgPersonByteSize: [0, MAX_AVG_BYTES],
  avgAuctionByteSize: [0, MAX_AVG_BYTES],
  avgBidByteSize: [0, MAX_AVG_BYTES],
};

/**
 * A complete, validated, frozen config: the defaults overridden by `partial`, which must give
 * `events`. Throws a RangeError/TypeError naming the offending option.
 */
export function nexmarkConfig(partial: Partial<NexmarkConfig> & { readonly events: number }): NexmarkConfig {
  if (partial === null || typeof partial !== 'object') {
    throw new TypeError('nexmarkConfig: expected an object with at least { events }');
  }
  for (const key of Object.keys(partial)) {
    if (!Object.prototype.hasOwnProperty.call(LIMITS, key)) {
      throw new TypeError(
        `nexmarkConfig: unknown option '${key}' (known: ${Object.keys(LIMITS).join(', ')})`,
      );
    }
  }
  if (partial.events === undefined) {
    throw new TypeError('nexmarkConfig: option "events" (total number of events) is required');
  }
  const cfg = { ...DEFAULT_NEXMARK_CONFIG } as Record<keyof NexmarkConfig, number>;
  for (const key of Object.keys(LIMITS) as (keyof NexmarkConfig)[]) {
    const v = (partial as Partial<NexmarkConfig>)[key];
    if (v !== undefined) cfg[key] = v;
    const value = cfg[key];
    const [min, max] = LIMITS[key];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`nexmarkConfig: option '${key}' must be an integer, got ${String(value)}`);
    }
    if (value < min || value > max) {
      throw new RangeError(`nexmarkConfig: option '${key}' must be in [${min}, ${max}], got ${value}`);
    }
  }
  const last = cfg.events === 0 ? 0 : cfg.events - 1;
  if (cfg.baseTime + Math.floor((last * 1000) / cfg.rate) + 2 * horizonMs(cfg as NexmarkConfig, last) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError('nexmarkConfig: baseTime + event time of the last event exceeds 2^53');
  }
  return Object.freeze(cfg as NexmarkConfig);
}

export class Person {
  constructor(
    readonly id: number,
    readonly name: string,
    readonly emailAddress: string,
    readonly creditCard: string,
    readonly city: string,
    readonly state: string,
    readonly dateTime: number,
    readonly extra: string,
  ) {}
}

export class Auction {
  constructor(
    readonly id: number,
    readonly itemName: string,
    readonly description: string,
    readonly initialBid: number,
    readonly reserve: number,
    readonly dateTime: number,
    readonly expires: number,
    readonly seller: number,
    readonly category: number,
    readonly extra: string,
  ) {}
}

export class Bid {
  constructor(
    readonly auction: number,
    readonly bidder: number,
    readonly price: number,
    readonly channel: string,
    readonly url: string,
    readonly dateTime: number,
    readonly extra: string,
  ) {}
}

export type NexmarkEvent = { readonly person: Person } | { readonly auction: Auction } | { readonly bid: Bid };
export type NexmarkEventKind = 'person' | 'auction' | 'bid';

/** Event time (epoch ms) of event id `eventId`: baseTime + floor(eventId * 1000 / rate). */
export function eventTimestamp(cfg: NexmarkConfig, eventId: number): number {
  return cfg.baseTime + Math.floor((eventId * 1000) / cfg.rate);
}

/** Which of the three kinds an event is. */
export function eventKind(e: NexmarkEvent): NexmarkEventKind {
  if ((e as { bid?: Bid }).bid !== undefined) return 'bid';
  if ((e as { auction?: Auction }).auction !== undefined) return 'auction';
  return 'person';
}

/** Which kind event id `eventId` will be: r = eventId mod total; person, then auction, then bid. */
export function kindOfEventId(cfg: NexmarkConfig, eventId: number): NexmarkEventKind {
  const total = cfg.personProportion + cfg.auctionProportion + cfg.bidProportion;
  const r = eventId % total;
  return r < cfg.personProportion ? 'person' : r < cfg.personProportion + cfg.auctionProportion ? 'auction' : 'bid';
}

/** The dateTime carried by an event (equals eventTimestamp(cfg, its id)). */
export function eventDateTime(e: NexmarkEvent): number {
  const b = (e as { bid?: Bid }).bid;
  if (b !== undefined) return b.dateTime;
  const a = (e as { auction?: Auction }).auction;
  if (a !== undefined) return a.dateTime;
  return (e as { person: Person }).person.dateTime;
}

/**
 * The canonical JSON line of an event (no trailing newline): `{"<kind>":{fields in the spec's
 * order}}`, as in the test vector. The checksum of the tests is sha256 over these lines, each
 * followed by '\n'.
 */
export function canonicalJson(e: NexmarkEvent): string {
  return JSON.stringify(e);
}

/** Parallel split: instance `instance` of `parallelism` emits ids instance, instance+p, … < events. */
export function instanceEventCount(cfg: NexmarkConfig, instance: number, parallelism: number): number {
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new RangeError(`parallelism must be an integer ≥ 1, got ${parallelism}`);
  }
  if (!Number.isInteger(instance) || instance < 0 || instance >= parallelism) {
    throw new RangeError(`instance must be an integer in [0, ${parallelism - 1}], got ${instance}`);
  }
  return instance >= cfg.events ? 0 : Math.floor((cfg.events - 1 - instance) / parallelism) + 1;
}

/** The events of one parallel instance, in id order (timestamps never decrease). */
export function* generateInstance(
  cfg: NexmarkConfig,
  instance = 0,
  parallelism = 1,
): Generator<NexmarkEvent, void, undefined> {
  const n = instanceEventCount(cfg, instance, parallelism);
  for (let k = 0, id = instance; k < n; k++, id += parallelism) yield generateEvent(cfg, id);
}

// ---------------------------------------------------------------------------------------------
// Generation

const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
/** FIRST[i] + ' ' + LAST[j] at i * 9 + j, built once (flat strings). */
const NAMES: readonly string[] = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => flat(`${f} ${l}`)));
const CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const CHANNELS = ['Apple', 'Google', 'Facebook', 'Baidu'];
const CREDIT_CARD_LENGTH = 19;
/** Bytes a person or an auction writes before its extra (nextStrings and fixed parts). */
const EVENT_MARGIN = 512;
/** Bids whose strings are cut out of one string together (see flushBids). */
const BID_BATCH = 16;
/** A batch is also cut once its bytes pass this size. */
const BATCH_BYTES = 4096;

const rng = new NexmarkRandom();
/** The kernel, made on first use; buf, mem32 and memF64 view its memory. */
let kernel: NexmarkKernel | undefined;
let buf: Buffer = Buffer.alloc(0);
let mem32 = new Int32Array(0);
let memF64 = new Float64Array(0);
/** The config whose constants are at CONFIG_ADDR. */
let configured: NexmarkConfig | undefined;

function startKernel(): NexmarkKernel {
  const k = instantiateNexmarkKernel();
  kernel = k;
  viewMemory(k);
  return k;
}

function viewMemory(k: NexmarkKernel): void {
  buf = Buffer.from(k.memory.buffer);
  mem32 = new Int32Array(k.memory.buffer);
  memF64 = new Float64Array(k.memory.buffer);
}

/** The stream constants of `cfg` for NexmarkKernel.bid. */
function configure(cfg: NexmarkConfig, seedMix: number): void {
  const view = new DataView(kernel!.memory.buffer, CONFIG_ADDR, 32);
  view.setInt32(0, seedMix, true);
  view.setInt32(4, cfg.hotAuctionRatio, true);
  view.setInt32(8, cfg.hotBiddersRatio, true);
  view.setInt32(12, cfg.avgBidByteSize, true);
  view.setBigInt64(16, BigInt(cfg.numInFlightAuctions), true);
  view.setBigInt64(24, BigInt(cfg.numActivePeople), true);
  configured = cfg;
}

type Latin1Slicer = { latin1Slice(start: number, end: number): string };

/** buf[start, end) as a flat one-byte string (Buffer#latin1Slice where Node has it). */
const cut: (start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as Partial<Latin1Slicer>).latin1Slice === 'function'
    ? (start, end) => (buf as unknown as Latin1Slicer).latin1Slice(start, end)
    : (start, end) => buf.toString('latin1', start, end);

function flat(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** Makes the kernel's memory hold n bytes plus its slack (growing keeps what is written). */
function ensureCapacity(n: number): void {
  const k = kernel!;
  if (n + SLACK > buf.length) {
    k.memory.grow(Math.ceil((Math.max(n + SLACK, 2 * buf.length) - buf.length) / 65536));
    viewMemory(k);
  }
}

/** nextString(max) at `pos` (buf has room), trimmed; returns the end position. */
function writeNextString(pos: number, max: number): number {
  const end = kernel!.nextString(pos, max, rng.state);
  rng.state = mem32[STATE_ADDR >> 2]!;
  return end;
}

/** extra(current, avg) at `pos`; returns the end position. */
function writeExtra(pos: number, current: number, avg: number): number {
  const most = pos + maxExtraBytes(avg);
  if (most + SLACK > buf.length) ensureCapacity(most);
  const end = kernel!.extra(pos, current, avg, rng.state);
  rng.state = mem32[STATE_ADDR >> 2]!;
  return end;
}

function horizonMs(cfg: NexmarkConfig, eventId: number): number {
  const total = cfg.personProportion + cfg.auctionProportion + cfg.bidProportion;
  const ahead = Math.floor((cfg.numInFlightAuctions * total) / cfg.auctionProportion);
  return eventTimestamp(cfg, eventId + ahead) - eventTimestamp(cfg, eventId);
}

// Strings are written into buf and cut out with one native call for several fields (a call to
// latin1Slice costs more than generating a bid's numbers; `substring` is a cheap builtin).
// A person's or an auction's strings are cut per event. A bid's url and extra are cut together
// with those of up to BID_BATCH − 1 other bids: its object is made at once with '' in both fields,
// filled in when the batch is cut (flushBids), before any of them leaves generateEvents. The
// strings of a batch share one backing string of at most a few KB.

/**
 * buf[STRINGS_ADDR, pendingEnd) holds the strings of the bids not cut yet; other events write
 * after it. The offsets of pending bid i are at OFFSETS_ADDR + 12 i (NexmarkKernel.bidStrings).
 */
let pendingEnd = STRINGS_ADDR;
let pendingCount = 0;
const pendingBids: (Bid | undefined)[] = new Array(BID_BATCH).fill(undefined);

type MutableBidStrings = { url: string; extra: string };

function flushBids(): void {
  const n = pendingCount;
  if (n === 0) return;
  const all = cut(STRINGS_ADDR, pendingEnd);
  const off = mem32;
  for (let i = 0, o = OFFSETS_ADDR >> 2; i < n; i++, o += 3) {
    const bid = pendingBids[i] as unknown as MutableBidStrings;
    bid.url = all.substring(off[o]! - STRINGS_ADDR, off[o + 1]! - STRINGS_ADDR);
    bid.extra = all.substring(off[o + 1]! - STRINGS_ADDR, off[o + 2]! - STRINGS_ADDR);
    pendingBids[i] = undefined;
  }
  pendingCount = 0;
  pendingEnd = STRINGS_ADDR;
}

function generatePerson(cfg: NexmarkConfig, e: number, dateTime: number): Person {
  const id = lastPerson(cfg, e) + FIRST_PERSON_ID;
  const first = rng.nextInt(11);
  const name = NAMES[first * 9 + rng.nextInt(9)]!;
  const base = pendingEnd;
  if (base + EVENT_MARGIN + SLACK > buf.length) ensureCapacity(base + EVENT_MARGIN);
  const b = buf;
  // emailAddress = nextString(7) + "@" + nextString(5) + ".com"
  let pos = writeNextString(base, 7);
  b[pos++] = 64; // '@'
  pos = writeNextString(pos, 5);
  b[pos++] = 46; // ".com"
  b[pos++] = 99;
  b[pos++] = 111;
  b[pos++] = 109;
  const emailEnd = pos;
  // creditCard: four zero-padded groups of nextInt(10000), joined by spaces
  for (let g = 0; g < 4; g++) {
    if (g > 0) b[pos++] = 32;
    const v = rng.nextInt(10000);
    b[pos++] = 48 + Math.floor(v / 1000);
    b[pos++] = 48 + (Math.floor(v / 100) % 10);
    b[pos++] = 48 + (Math.floor(v / 10) % 10);
    b[pos++] = 48 + (v % 10);
  }
  const cardEnd = pos;
  const city = CITIES[rng.nextInt(10)]!;
  const state = STATES[rng.nextInt(6)]!;
  const current = 8 + name.length + (emailEnd - base) + CREDIT_CARD_LENGTH + city.length + state.length;
  const end = writeExtra(cardEnd, current, cfg.avgPersonByteSize);
  const all = cut(base, end);
  return new Person(
    id,
    name,
    all.substring(0, emailEnd - base),
    all.substring(emailEnd - base, cardEnd - base),
    city,
    state,
    dateTime,
    all.substring(cardEnd - base),
  );
}

function generateAuction(cfg: NexmarkConfig, e: number, dateTime: number): Auction {
  const id = lastAuction(cfg, e) + FIRST_AUCTION_ID;
  const seller =
    (rng.nextInt(cfg.hotSellersRatio) > 0
      ? Math.floor(lastPerson(cfg, e) / HOT_BATCH) * HOT_BATCH
      : randomPerson(cfg, e, rng)) + FIRST_PERSON_ID;
  const category = FIRST_CATEGORY_ID + rng.nextInt(NUM_CATEGORIES);
  const initialBid = rng.price();
  const expires = dateTime + 1 + rng.nextLong(Math.max(2 * horizonMs(cfg, e), 1));
  const base = pendingEnd;
  if (base + EVENT_MARGIN + SLACK > buf.length) ensureCapacity(base + EVENT_MARGIN);
  const itemEnd = writeNextString(base, 20);
  const descriptionEnd = writeNextString(itemEnd, 100);
  const reserve = initialBid + rng.price();
  const end = writeExtra(descriptionEnd, 8 + (descriptionEnd - base) + 40, cfg.avgAuctionByteSize);
  const all = cut(base, end);
  return new Auction(
    id,
    all.substring(0, itemEnd - base),
    all.substring(itemEnd - base, descriptionEnd - base),
    initialBid,
    reserve,
    dateTime,
    expires,
    seller,
    category,
    all.substring(descriptionEnd - base),
  );
}

/**
 * A bid drawn through `rng` (reset for the event): the reference form of the bid loop in
 * generateEvents, used for event ids of 2^32 and above.
 */
function generateBid(cfg: NexmarkConfig, e: number, dateTime: number): Bid {
  const auction =
    (rng.nextInt(cfg.hotAuctionRatio) > 0
      ? Math.floor(lastAuction(cfg, e) / HOT_BATCH) * HOT_BATCH
      : randomAuction(cfg, e, rng)) + FIRST_AUCTION_ID;
  const bidder =
    (rng.nextInt(cfg.hotBiddersRatio) > 0
      ? Math.floor(lastPerson(cfg, e) / HOT_BATCH) * HOT_BATCH + 1
      : randomPerson(cfg, e, rng)) + FIRST_PERSON_ID;
  const price = rng.price();
  const channel = CHANNELS[rng.nextInt(4)]!;
  return pendBid(new Bid(auction, bidder, price, channel, '', dateTime, ''), rng.state, cfg.avgBidByteSize);
}

const TWO_32 = 4294967296;
const FMIX32_OF_0 = fmix32(0);

let lastSeed = -1;
let lastSeedMix = 0;

/** Event `eventId`, a person or an auction (bids are made inline by generateEvents). */
function generateOther(cfg: NexmarkConfig, eventId: number, r: number, dateTime: number): NexmarkEvent {
  rng.reset(cfg.seed, eventId);
  if (r >= cfg.personProportion) return { auction: generateAuction(cfg, eventId, dateTime) };
  return { person: generatePerson(cfg, eventId, dateTime) };
}

/**
 * Event `eventId` (an integer in [0, MAX_NEXMARK_EVENTS)) of the stream described by `cfg`.
 * Pure: the same (cfg, eventId) always gives an equal event. Does not check eventId < cfg.events.
 */
export function generateEvent(cfg: NexmarkConfig, eventId: number): NexmarkEvent {
  const one: NexmarkEvent[] = [];
  generateEvents(cfg, eventId, 1, 1, one);
  return one[0]!;
}

/**
 * Appends events `first`, `first + stride`, … (`count` of them) to `out`: the same events as
 * generateEvent, complete when it returns. Bids — 46 of 50 events — are drawn by one kernel call
 * each (numbers and strings, NexmarkKernel.bid), and their strings are cut out of a few KB at once
 * (flushBids).
 */
export function generateEvents(cfg: NexmarkConfig, first: number, stride: number, count: number, out: NexmarkEvent[]): void {
  const pp = cfg.personProportion;
  const ap = cfg.auctionProportion;
  const total = pp + ap + cfg.bidProportion;
  const seed = cfg.seed;
  const baseTime = cfg.baseTime;
  const rate = cfg.rate;
  const avg = cfg.avgBidByteSize;
  const most = maxBidStringBytes(avg);
  if (seed !== lastSeed) {
    lastSeed = seed;
    lastSeedMix = fmix32(seed ^ 0x9e3779b9) ^ FMIX32_OF_0; // state(seed, e) for e < 2^32 (random.ts)
  }
  if (kernel === undefined) startKernel();
  if (cfg !== configured) configure(cfg, lastSeedMix);
  const k = kernel!;
  const out32 = BID_OUT_ADDR >> 2;
  const out64 = BID_OUT_ADDR >> 3;
  let e = first;
  for (let left = count; left > 0; left--, e += stride) {
    const epoch = Math.floor(e / total);
    const r = e - epoch * total;
    const dateTime = baseTime + Math.floor((e * 1000) / rate);
    if (r < pp + ap || e >= TWO_32) {
      if (r >= pp + ap) {
        rng.reset(seed, e);
        out.push({ bid: generateBid(cfg, e, dateTime) });
      } else out.push(generateOther(cfg, e, r, dateTime));
      continue;
    }
    // numbers, url and extra by the kernel (a bid is at most BID_BATCH in flight: its strings are
    // filled in flushBids)
    reserveBid(most);
    const end = k.bid(pendingEnd, e, epoch * ap + ap - 1, epoch * pp + pp - 1, OFFSETS_ADDR + 12 * pendingCount);
    const f = memF64;
    const bid = new Bid(f[out64]! + FIRST_AUCTION_ID, f[out64 + 1]! + FIRST_PERSON_ID, f[out64 + 2]!, CHANNELS[mem32[out32 + 6]!]!, '', dateTime, '');
    out.push({ bid: queueBid(bid, end) });
  }
  flushBids();
}

/**
 * Writes the url and extra of `bid` (the stream of its event at `state`, after the channel draw)
 * and queues it for flushBids.
 */
function pendBid(bid: Bid, state: number, avg: number): Bid {
  reserveBid(maxBidStringBytes(avg));
  return queueBid(bid, kernel!.bidStrings(pendingEnd, state, bid.channel.length, avg, OFFSETS_ADDR + 12 * pendingCount));
}

/** Room for `most` bytes of a bid's strings at pendingEnd. */
function reserveBid(most: number): void {
  if (pendingEnd + most + SLACK > buf.length) ensureCapacity(pendingEnd + most);
}

/** Queues `bid`, whose strings the kernel wrote up to `end` with offsets in the next slot. */
function queueBid(bid: Bid, end: number): Bid {
  pendingBids[pendingCount++] = bid;
  pendingEnd = end;
  if (pendingCount === BID_BATCH || end > STRINGS_ADDR + BATCH_BYTES) flushBids();
  return bid;
}

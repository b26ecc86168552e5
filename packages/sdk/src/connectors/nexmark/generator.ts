/**
 * The Nexmark event generator of docs/nexmark-spec.md (normative; test vector
 * nexmark-seed42-first60.jsonl beside it). Every event is a pure function of (config, eventId):
 * it draws from its own random stream `state(seed, eventId)` in the spec's draw order, so any
 * split of the id range among parallel instances yields the same events. The Java port in
 * bench/flink (dev.eddy.nexmark.NexmarkGenerator) is kept in lock-step with this file.
 *
 * Speed: one NexmarkRandom and one byte buffer are reused for every event, so generating an event
 * allocates only the event (two objects) and its strings; strings are written as bytes and cut
 * out with Buffer#latin1Slice, which yields flat one-byte strings (no cons-string ropes).
 */
import {
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  HOT_BATCH,
  ID_LEAD,
  NUM_CATEGORIES,
  lastAuction,
  lastPerson,
  randomAuction,
  randomPerson,
} from './ids.js';
import { NexmarkRandom, fmix32 } from './random.js';

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
const URL_PREFIX = 'https://www.nexmark.com/';
const URL_SUFFIX = '/item.htm?query=1';
const CREDIT_CARD_LENGTH = 19;
/** Bytes every event may write without a capacity check (nextStrings and fixed parts; extra checks). */
const EVENT_MARGIN = 512;
/** Bids whose strings are cut out of one string together (see flushBids). */
const BID_BATCH = 16;
/** A batch is also cut once its bytes pass this size. */
const BATCH_BYTES = 4096;
/** The largest u with floor(u * 13 / 2^32) === 0: nextString draws a space below it. */
const SPACE_BELOW = Math.floor(0xffffffff / 13);
/**
 * 26 / 2^32: u * LETTER_SCALE equals (u * 26) / 2^32 exactly (u * 26 < 2^37 is exact and scaling by a
 * power of two is exact), so `| 0` floors it to nextInt(26) with one multiplication.
 */
const LETTER_SCALE = 26 / 4294967296;

const rng = new NexmarkRandom();
let buf: Buffer = Buffer.alloc(BATCH_BYTES + 4 * EVENT_MARGIN);
const URL_PREFIX_BYTES = Buffer.from(URL_PREFIX, 'latin1');
const URL_SUFFIX_BYTES = Buffer.from(URL_SUFFIX, 'latin1');

type Latin1Slicer = { latin1Slice(start: number, end: number): string };

/** buf[start, end) as a flat one-byte string (Buffer#latin1Slice where Node has it). */
const cut: (start: number, end: number) => string =
  typeof (buf as unknown as Partial<Latin1Slicer>).latin1Slice === 'function'
    ? (start, end) => (buf as unknown as Latin1Slicer).latin1Slice(start, end)
    : (start, end) => buf.toString('latin1', start, end);

function flat(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** Grows buf to hold n bytes, keeping buf[0, keep) (the pending bids and the event so far). */
function ensureCapacity(n: number, keep: number): void {
  if (n > buf.length) {
    const next = Buffer.alloc(Math.max(n, buf.length * 2));
    buf.copy(next, 0, 0, keep);
    buf = next;
  }
}

/** nextString(max) written at `pos`, trimmed of spaces; returns the end position. */
function writeNextString(pos: number, max: number): number {
  const len = 3 + rng.nextInt(max - 3);
  const start = pos;
  const end = start + len;
  const b = buf;
  // The draws of NexmarkRandom.nextInt(13) / nextInt(26), inlined on a local copy of the state.
  let st = rng.state | 0;
  while (pos < end) {
    st = (st + 0x6d2b79f5) | 0;
    let t = Math.imul(st ^ (st >>> 15), st | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // nextInt(13) === 0  <=>  u * 13 < 2^32  <=>  u <= floor((2^32 - 1) / 13)
    if ((t ^ (t >>> 14)) >>> 0 <= SPACE_BELOW) {
      b[pos++] = 32;
    } else {
      st = (st + 0x6d2b79f5) | 0;
      t = Math.imul(st ^ (st >>> 15), st | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      b[pos++] = 97 + ((((t ^ (t >>> 14)) >>> 0) * LETTER_SCALE) | 0);
    }
  }
  rng.state = st;
  let a = start;
  while (a < pos && b[a] === 32) a++;
  while (pos > a && b[pos - 1] === 32) pos--;
  if (a > start) {
    const n = pos - a; // a short string: a loop beats TypedArray#copyWithin
    for (let i = 0; i < n; i++) b[start + i] = b[a + i]!;
    pos = start + n;
  }
  return pos;
}

/** extra(current, avg) written at `pos`; returns the end position. */
function writeExtra(pos: number, current: number, avg: number): number {
  if (current > avg) return pos;
  const d = avg - current;
  // round half up; d * 0.2 of an integer d is never within an ulp of a half, so floor(x + 0.5) is exact
  const delta = Math.floor(d * 0.2 + 0.5);
  return writeExtraAt(pos, d - delta + (delta === 0 ? 0 : rng.nextInt(2 * delta)));
}

/** exactString(size) written at `pos` (buf grows as needed); returns the end position. */
function writeExtraAt(pos: number, size: number): number {
  const end = pos + size;
  if (end > buf.length) ensureCapacity(end, pos);
  const b = buf;
  let st = rng.state | 0; // exactString: nextInt(26) per char, inlined
  for (let i = pos; i < end; i++) {
    st = (st + 0x6d2b79f5) | 0;
    let t = Math.imul(st ^ (st >>> 15), st | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    b[i] = 97 + ((((t ^ (t >>> 14)) >>> 0) * LETTER_SCALE) | 0);
  }
  rng.state = st;
  return end;
}

function horizonMs(cfg: NexmarkConfig, eventId: number): number {
  const total = cfg.personProportion + cfg.auctionProportion + cfg.bidProportion;
  const ahead = Math.floor((cfg.numInFlightAuctions * total) / cfg.auctionProportion);
  return eventTimestamp(cfg, eventId + ahead) - eventTimestamp(cfg, eventId);
}

// Strings are written into buf and cut out with one native call for several fields (a call to
// latin1Slice costs as much as generating a bid's numbers; `substring` is a cheap builtin).
// A person's or an auction's strings are cut per event. A bid's url and extra are cut together
// with those of up to BID_BATCH − 1 other bids: its object is made at once with '' in both fields,
// filled in when the batch is cut (flushBids), before any of them leaves generateEvents. The
// strings of a batch share one backing string of at most a few KB.

/** buf[0, pendingEnd) holds the strings of the bids not cut yet; other events write after it. */
let pendingEnd = 0;
let pendingCount = 0;
const pendingBids: (Bid | undefined)[] = new Array(BID_BATCH).fill(undefined);
/** For pending bid i: url start, url end (= extra start), extra end. */
const pendingOffsets = new Int32Array(3 * BID_BATCH);

type MutableBidStrings = { url: string; extra: string };

function flushBids(): void {
  const n = pendingCount;
  if (n === 0) return;
  const all = cut(0, pendingEnd);
  const off = pendingOffsets;
  for (let i = 0; i < n; i++) {
    const bid = pendingBids[i] as unknown as MutableBidStrings;
    const o = 3 * i;
    bid.url = all.substring(off[o]!, off[o + 1]!);
    bid.extra = all.substring(off[o + 1]!, off[o + 2]!);
    pendingBids[i] = undefined;
  }
  pendingCount = 0;
  pendingEnd = 0;
}

function generatePerson(cfg: NexmarkConfig, e: number, dateTime: number): Person {
  const id = lastPerson(cfg, e) + FIRST_PERSON_ID;
  const first = rng.nextInt(11);
  const name = NAMES[first * 9 + rng.nextInt(9)]!;
  const base = pendingEnd;
  if (base + EVENT_MARGIN > buf.length) ensureCapacity(base + EVENT_MARGIN, base);
  // emailAddress = nextString(7) + "@" + nextString(5) + ".com"
  let pos = writeNextString(base, 7);
  const b0 = buf;
  b0[pos++] = 64; // '@'
  pos = writeNextString(pos, 5);
  const b = buf;
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
  if (base + EVENT_MARGIN > buf.length) ensureCapacity(base + EVENT_MARGIN, base);
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
  const urlStart = pendingEnd;
  if (urlStart + EVENT_MARGIN > buf.length) ensureCapacity(urlStart + EVENT_MARGIN, urlStart);
  const b = buf;
  const prefix = URL_PREFIX_BYTES;
  for (let i = 0; i < prefix.length; i++) b[urlStart + i] = prefix[i]!;
  let pos = writeNextString(urlStart + prefix.length, 5);
  b[pos++] = 47; // '/'
  pos = writeNextString(pos, 5);
  const suffix = URL_SUFFIX_BYTES;
  for (let i = 0; i < suffix.length; i++) b[pos + i] = suffix[i]!;
  const urlEnd = pos + suffix.length;
  const end = writeExtra(urlEnd, 32 + channel.length + (urlEnd - urlStart), cfg.avgBidByteSize);
  return pendBid(new Bid(auction, bidder, price, channel, '', dateTime, ''), urlStart, urlEnd, end);
}

/** The step of the random stream (NexmarkRandom.nextU32). */
const STEP = 0x6d2b79f5;
const INV_2_32 = 1 / 4294967296;
const TWO_32 = 4294967296;
const POW10 = [1, 10, 100, 1000, 10000, 100000];
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
 * generateEvent, complete when it returns. Bids — 46 of 50 events — are made here in one loop
 * with the draws of NexmarkRandom written out on a local copy of the stream state (calls and
 * field accesses cost as much as the arithmetic at this size), and their strings are cut out of
 * a few KB at once (flushBids).
 */
export function generateEvents(cfg: NexmarkConfig, first: number, stride: number, count: number, out: NexmarkEvent[]): void {
  const pp = cfg.personProportion;
  const ap = cfg.auctionProportion;
  const total = pp + ap + cfg.bidProportion;
  const seed = cfg.seed;
  const baseTime = cfg.baseTime;
  const rate = cfg.rate;
  const hotAuctions = cfg.hotAuctionRatio * INV_2_32;
  const hotBidders = cfg.hotBiddersRatio * INV_2_32;
  const inFlight = cfg.numInFlightAuctions;
  const activePeople = cfg.numActivePeople;
  const avg = cfg.avgBidByteSize;
  if (seed !== lastSeed) {
    lastSeed = seed;
    lastSeedMix = fmix32(seed ^ 0x9e3779b9) ^ FMIX32_OF_0; // state(seed, e) for e < 2^32 (random.ts)
  }
  const mix = lastSeedMix;
  const prefix = URL_PREFIX_BYTES;
  const suffix = URL_SUFFIX_BYTES;
  let e = first;
  for (let k = 0; k < count; k++, e += stride) {
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
    let st = fmix32(e ^ mix) | 0;
    let t = 0;
    let u = 0;
    // auction = nextInt(hotAuctionRatio) > 0 ? floor(lastAuction / 100) * 100 : randomAuction
    const lastA = epoch * ap + ap - 1; // lastAuction(e) of a bid
    st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); u = (t ^ (t >>> 14)) >>> 0;
    let auction: number;
    if (((u * hotAuctions) | 0) > 0) auction = Math.floor(lastA / HOT_BATCH) * HOT_BATCH;
    else {
      const min = Math.max(lastA - inFlight, 0);
      rng.state = st;
      auction = min + rng.nextLong(lastA - min + 1 + ID_LEAD);
      st = rng.state;
    }
    // bidder = nextInt(hotBiddersRatio) > 0 ? floor(lastPerson / 100) * 100 + 1 : randomPerson
    const lastP = epoch * pp + pp - 1; // lastPerson(e) of a bid
    st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); u = (t ^ (t >>> 14)) >>> 0;
    let bidder: number;
    if (((u * hotBidders) | 0) > 0) bidder = Math.floor(lastP / HOT_BATCH) * HOT_BATCH + 1;
    else {
      const n = lastP + 1;
      const active = Math.min(n, activePeople);
      rng.state = st;
      bidder = n - active + rng.nextLong(active + ID_LEAD);
      st = rng.state;
    }
    // price = 10^nextInt(6) * (100 + nextInt(900)); channel = CHANNELS[nextInt(4)]
    st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); u = (t ^ (t >>> 14)) >>> 0;
    const k10 = (u * (6 * INV_2_32)) | 0;
    st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); u = (t ^ (t >>> 14)) >>> 0;
    const price = POW10[k10]! * (100 + ((u * (900 * INV_2_32)) | 0));
    st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); u = (t ^ (t >>> 14)) >>> 0;
    const channel = CHANNELS[u >>> 30]!; // floor(u * 4 / 2^32)
    // url = "https://www.nexmark.com/" + nextString(5) + "/" + nextString(5) + "/item.htm?query=1"
    const urlStart = pendingEnd;
    if (urlStart + EVENT_MARGIN > buf.length) ensureCapacity(urlStart + EVENT_MARGIN, urlStart);
    const b = buf;
    for (let i = 0; i < prefix.length; i++) b[urlStart + i] = prefix[i]!; // loops beat TypedArray#set for a few bytes
    let pos = urlStart + prefix.length;
    for (let part = 0; part < 2; part++) {
      // nextString(5): 3 + nextInt(2) characters, a space when nextInt(13) == 0, then trimmed
      st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const start = pos;
      const end = pos + 3 + ((t ^ (t >>> 14)) >>> 31);
      while (pos < end) {
        st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        if ((t ^ (t >>> 14)) >>> 0 <= SPACE_BELOW) b[pos++] = 32;
        else {
          st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          b[pos++] = 97 + ((((t ^ (t >>> 14)) >>> 0) * LETTER_SCALE) | 0);
        }
      }
      let a = start;
      while (a < pos && b[a] === 32) a++;
      while (pos > a && b[pos - 1] === 32) pos--;
      if (a > start) {
        const n = pos - a;
        for (let i = 0; i < n; i++) b[start + i] = b[a + i]!;
        pos = start + n;
      }
      if (part === 0) b[pos++] = 47; // '/'
    }
    for (let i = 0; i < suffix.length; i++) b[pos + i] = suffix[i]!;
    pos += suffix.length;
    const urlEnd = pos;
    // extra(32 + len(channel) + len(url), avgBidByteSize)
    const current = 32 + channel.length + (urlEnd - urlStart);
    if (current <= avg) {
      const d = avg - current;
      const delta = Math.floor(d * 0.2 + 0.5); // round half up, as in writeExtra
      let size = d - delta;
      if (delta !== 0) {
        st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); u = (t ^ (t >>> 14)) >>> 0;
        size += (u * (2 * delta * INV_2_32)) | 0;
      }
      const end = pos + size;
      if (end > b.length) {
        rng.state = st; // an avgBidByteSize far above the default
        pos = writeExtraAt(pos, size);
        st = rng.state;
      } else {
        for (; pos < end; pos++) {
          st = (st + STEP) | 0; t = Math.imul(st ^ (st >>> 15), st | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          b[pos] = 97 + ((((t ^ (t >>> 14)) >>> 0) * LETTER_SCALE) | 0);
        }
      }
    }
    out.push({ bid: pendBid(new Bid(auction + FIRST_AUCTION_ID, bidder + FIRST_PERSON_ID, price, channel, '', dateTime, ''), urlStart, urlEnd, pos) });
  }
  flushBids();
}

/** Registers a bid whose url is buf[urlStart, urlEnd) and extra buf[urlEnd, end). */
function pendBid(bid: Bid, urlStart: number, urlEnd: number, end: number): Bid {
  const i = pendingCount++;
  pendingBids[i] = bid;
  const o = 3 * i;
  pendingOffsets[o] = urlStart;
  pendingOffsets[o + 1] = urlEnd;
  pendingOffsets[o + 2] = end;
  pendingEnd = end;
  if (pendingCount === BID_BATCH || end > BATCH_BYTES) flushBids();
  return bid;
}

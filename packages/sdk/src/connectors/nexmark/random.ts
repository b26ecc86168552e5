/**
 * The Nexmark random numbers, exactly as docs/nexmark-spec.md "Random numbers" defines them.
 *
 * All arithmetic is on unsigned 32-bit integers with wrap-around (Math.imul, >>> 0). Every event
 * draws from its own fresh stream `state(seed, eventId)`, so an event is a pure function of
 * (seed, eventId). The Java port (bench/flink, dev.eddy.nexmark.NexmarkRandom) must stay in
 * lock-step with this file.
 */

const TWO_32 = 4294967296;
const TWO_21 = 2097152;
const INV_2_32 = 1 / TWO_32;

/** murmur3's 32-bit finaliser; returns an unsigned 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * `state(seed, e) = fmix32((e mod 2^32) ^ fmix32(seed ^ 0x9E3779B9) ^ fmix32(floor(e / 2^32)))`.
 * `seed` is an unsigned 32-bit integer, `eventId` a non-negative integer below 2^53.
 */
export function initialState(seed: number, eventId: number): number {
  const hi = Math.floor(eventId / TWO_32);
  const lo = eventId - hi * TWO_32;
  if (seed !== lastSeed) {
    lastSeed = seed;
    lastSeedMix = fmix32(seed ^ 0x9e3779b9);
  }
  return fmix32(lo ^ lastSeedMix ^ (hi === 0 ? FMIX32_OF_0 : fmix32(hi)));
}

// fmix32 of the seed is the same for every event of a stream: computed once per seed.
let lastSeed = -1;
let lastSeedMix = 0;
const FMIX32_OF_0 = fmix32(0);

/** One step of the stream: the next state (unsigned 32-bit). */
export function nextState(state: number): number {
  return (state + 0x6d2b79f5) >>> 0;
}

/** The output of the stream for a state that has just been advanced (mulberry32's output). */
export function output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * A per-event random stream. The generator keeps one instance and `reset`s it for every event,
 * so generating an event allocates nothing here; the draws are a pure function of (seed, eventId).
 *
 * Speed: `state` holds the stream's 32 bits as a *signed* int32. V8 keeps an int32 field as a
 * small integer; an unsigned value above 2^31 would make the field a boxed double, and every draw
 * would then pay a heap-number store (this alone made draws ~3x slower).
 */
export class NexmarkRandom {
  /** The stream state, as a signed int32 (`| 0`); `>>> 0` gives the spec's unsigned value. */
  state: number;

  constructor(seed = 0, eventId = 0) {
    this.state = initialState(seed, eventId) | 0;
  }

  /** Start the stream of event `eventId` (same as `new NexmarkRandom(seed, eventId)`). */
  reset(seed: number, eventId: number): this {
    this.state = initialState(seed, eventId) | 0;
    return this;
  }

  /** Unsigned 32-bit integer in [0, 2^32). */
  nextU32(): number {
    const s = (this.state + 0x6d2b79f5) | 0;
    this.state = s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** `floor(nextU32() * n / 2^32)`, uniform in [0, n); requires 1 ≤ n ≤ 2^21 (exact in float64). */
  nextInt(n: number): number {
    const s = (this.state + 0x6d2b79f5) | 0;
    this.state = s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // n * 2^-32 is exact, and so is u times it (u * n < 2^53, scaled by a power of two): the same
    // value as (u * n) / 2^32 with one multiplication; it is < 2^21, so `| 0` floors it.
    return (((t ^ (t >>> 14)) >>> 0) * (n * INV_2_32)) | 0;
  }

  /** `nextU32() * 2^21 + (nextU32() >>> 11)`: 53 random bits, high part drawn first. */
  next53(): number {
    const hi = this.nextU32();
    return hi * TWO_21 + (this.nextU32() >>> 11);
  }

  /** `next53() mod n`; requires 1 ≤ n < 2^53. */
  nextLong(n: number): number {
    // `%` on doubles is a call to C's fmod; a floored division with one correction step is exact
    // here (q * n ≤ x + n < 2^54 stays an exact product of integers below 2^53) and ~5x cheaper.
    const x = this.next53();
    const q = Math.floor(x / n);
    let r = x - q * n;
    if (r < 0) r += n;
    else if (r >= n) r -= n;
    return r;
  }

  /** `10^k * (100 + nextInt(900))`, k = nextInt(6) drawn first. */
  price(): number {
    const k = this.nextInt(6);
    return POW10[k]! * (100 + this.nextInt(900));
  }
}

const POW10 = [1, 10, 100, 1000, 10000, 100000];

/**
 * The reference (allocating, string-concatenating) forms of the string draws. The generator
 * writes the same draws into a byte buffer instead; these exist for tests and for readers.
 */
export function nextString(rng: NexmarkRandom, max: number): string {
  const len = 3 + rng.nextInt(max - 3);
  let s = '';
  for (let i = 0; i < len; i++) {
    s += rng.nextInt(13) === 0 ? ' ' : String.fromCharCode(97 + rng.nextInt(26));
  }
  return trimSpaces(s);
}

export function exactString(rng: NexmarkRandom, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(97 + rng.nextInt(26));
  return s;
}

/** Size of the `extra` padding: "" when current > avg, else about avg − current (±20 %). */
export function extraSize(rng: NexmarkRandom, current: number, avg: number): number {
  if (current > avg) return 0;
  const d = avg - current;
  const delta = Math.round(d * 0.2); // round half up (float64), like Java's Math.round
  return d - delta + (delta === 0 ? 0 : rng.nextInt(2 * delta));
}

export function extra(rng: NexmarkRandom, current: number, avg: number): string {
  if (current > avg) return '';
  return exactString(rng, extraSize(rng, current, avg));
}

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return s.slice(a, b);
}

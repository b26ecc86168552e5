/**
 * The Nexmark generator's strings, drawn in WebAssembly. About two thirds of the generator's random
 * draws are characters; in JavaScript each costs ~2 ns (the mix, a float conversion for the
 * scaling, a bounds-checked store). Here the scaling is one 64-bit multiply, and exactString —
 * whose characters depend only on their position, since the stream state advances by a constant
 * per draw — computes 16 characters per step on four 32-bit lanes. The generator writes into
 * this module's memory and cuts JavaScript strings out of it (Buffer#latin1Slice).
 *
 * Every function follows the spec's draws exactly (docs/nexmark-spec.md, "Random numbers"); the
 * stream state goes in as a parameter and comes back at STATE_ADDR. A function may write up to
 * SLACK bytes past the end it returns: the caller keeps that much room, and nothing it still needs
 * lies there.
 */
import {
  assemble, block, brIf, br, call, ifThen, loop, ret, select, seq,
  i32, i64, f64, v128, i8x16, i16x8, i32x4, i64x2, local, memory, type Code,
} from './wasm-assembler.js';

/** Where a function leaves the stream state after its draws (a byte address; int32 index / 4). */
export const STATE_ADDR = 64;
/** [urlStart, urlEnd, extraEnd] of pending bid i at OFFSETS_ADDR + 12 i (bidStrings writes them). */
export const OFFSETS_ADDR = 128;
/**
 * The stream constants bid() reads, written by configure(): seed mix (i32), hotAuctionRatio,
 * hotBiddersRatio, avgBidByteSize (i32 each), numInFlightAuctions, numActivePeople (i64 each).
 */
export const CONFIG_ADDR = 320;
/** What bid() leaves: auction and bidder ids (f64, base 0), price (f64), channel index (i32). */
export const BID_OUT_ADDR = 352;
const POW10_ADDR = 384; // 1, 10, …, 10^5 (i32 × 6)
const CHANNEL_LENGTH_ADDR = 408; // Apple, Google, Facebook, Baidu (u8 × 4)
/** Strings are written from here on. */
export const STRINGS_ADDR = 512;
/** Bytes a function may write past the end it returns. */
export const SLACK = 16;
/** The longest url of a bid: 24 + 4 + 1 + 4 + 17 bytes. */
const BID_URL_MAX = 50;

/** The most bytes extra(current, avg) writes: size = d − delta + nextInt(2·delta) < d + d / 5 + 1. */
export function maxExtraBytes(avg: number): number {
  return avg + Math.ceil(avg / 5);
}

/** The most bytes bid() and bidStrings() write before their slack: the url and the extra. */
export function maxBidStringBytes(avg: number): number {
  return BID_URL_MAX + maxExtraBytes(avg);
}

const URL_PREFIX_ADDR = 0; // "https://www.nexmark.com/" (24 bytes)
const URL_SUFFIX_ADDR = 32; // "/item.htm?query=1" (17 bytes)

export interface NexmarkKernel {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  /** nextString(max) at ptr, trimmed; returns its end. */
  nextString(ptr: number, max: number, state: number): number;
  /** extra(current, avg) at ptr; returns its end (at most ptr + maxExtraBytes(avg)). */
  extra(ptr: number, current: number, avg: number, state: number): number;
  /**
   * A bid's url ("https://www.nexmark.com/" + nextString(5) + "/" + nextString(5) +
   * "/item.htm?query=1") then its extra(32 + channelLength + len(url), avg), at ptr; writes
   * [ptr, urlEnd, extraEnd] at `offsets` and returns extraEnd. The state after is not needed.
   */
  bidStrings(ptr: number, state: number, channelLength: number, avg: number, offsets: number): number;
  /**
   * Bid event e (< 2^32) whose lastAuction and lastPerson are given, under the stream constants at
   * CONFIG_ADDR: its numbers at BID_OUT_ADDR, its url and extra at ptr as bidStrings does.
   */
  bid(ptr: number, e: number, lastAuction: number, lastPerson: number, offsets: number): number;
}

const STEP = 0x6d2b79f5;
/** The largest u with floor(u * 13 / 2^32) = 0: nextString draws a space at or below it. */
const SPACE_BELOW = Math.floor(0xffffffff / 13);

const get = local.get;
const c = i32.const;

/** mulberry32's output for the advanced state `x`, computed in the i32 local `m`. */
function mix(m: number, x: Code): Code {
  return seq(
    local.set(m, x),
    local.set(m, i32.mul(i32.xor(get(m), i32.shr_u(get(m), c(15))), i32.or(get(m), c(1)))),
    local.set(m, i32.xor(get(m), i32.add(get(m), i32.mul(i32.xor(get(m), i32.shr_u(get(m), c(7))), i32.or(get(m), c(61)))))),
    i32.xor(get(m), i32.shr_u(get(m), c(14))),
  );
}

/** nextU32(): advances the state in local `st`, mixing in local `m`. */
const draw = (st: number, m: number): Code => mix(m, local.tee(st, i32.add(get(st), c(STEP))));

/** floor(u * n / 2^32) for unsigned u and n: the high half of the 64-bit product. */
const scale = (u: Code, n: Code): Code =>
  i32.wrap_i64(i64.shr_u(i64.mul(i64.extend_i32_u(u), i64.extend_i32_u(n)), i64.const(32n)));

/** 'a' + nextInt(26) on four lanes of advanced states `x`, computed in the v128 local `t`. */
function letters4(t: number, x: Code): Code {
  const lanes = (n: number): Code => v128.i32x4(n);
  return seq(
    local.set(t, x),
    local.set(t, i32x4.mul(v128.xor(get(t), i32x4.shr_u(get(t), c(15))), v128.or(get(t), lanes(1)))),
    local.set(t, v128.xor(get(t), i32x4.add(get(t), i32x4.mul(v128.xor(get(t), i32x4.shr_u(get(t), c(7))), v128.or(get(t), lanes(61)))))),
    local.set(t, v128.xor(get(t), i32x4.shr_u(get(t), c(14)))),
    // floor(u * 26 / 2^32): the high 32 bits of the four exact 64-bit products
    i32x4.add(
      lanes(97),
      i8x16.shuffle(
        [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31],
        i64x2.extmul_low_i32x4_u(get(t), lanes(26)),
        i64x2.extmul_high_i32x4_u(get(t), lanes(26)),
      ),
    ),
  );
}

const F_EXACT_STRING = 0;
const F_NEXT_STRING = 1;
const F_EXTRA = 2;
const F_BID_STRINGS = 3;

/** exactString(len) at ptr from state st; returns the state after it. Writes whole 16-byte blocks. */
function exactStringFn(): Code {
  const [ptr, len, st, end, v, t] = [0, 1, 2, 3, 4, 5];
  const step = (k: number): number => Math.imul(STEP, k);
  const offset = (k: number): Code => i32x4.add(get(v), v128.i32x4(step(k)));
  return seq(
    local.set(end, i32.add(get(ptr), get(len))),
    // lane j holds the state of character j + 1 of the block, then of the next block
    local.set(v, i32x4.add(i32x4.splat(get(st)), v128.i32x4(step(1), step(2), step(3), step(4)))),
    block([loop([
      brIf(1, i32.ge_s(get(ptr), get(end))),
      v128.store(get(ptr), i8x16.narrow_i16x8_u(
        i16x8.narrow_i32x4_u(letters4(t, get(v)), letters4(t, offset(4))),
        i16x8.narrow_i32x4_u(letters4(t, offset(8)), letters4(t, offset(12))),
      )),
      local.set(v, offset(16)),
      local.set(ptr, i32.add(get(ptr), c(16))),
      br(0),
    ])]),
    i32.add(get(st), i32.mul(get(len), c(STEP))),
  );
}

/** nextString(max) at ptr from state st, trimmed; returns its end, the state at STATE_ADDR. */
function nextStringFn(): Code {
  const [ptr, max, st, end, pos, a, m] = [0, 1, 2, 3, 4, 5, 6];
  return seq(
    local.set(end, i32.add(get(ptr), i32.add(c(3), scale(draw(st, m), i32.sub(get(max), c(3)))))),
    local.set(pos, get(ptr)),
    block([loop([
      brIf(1, i32.ge_u(get(pos), get(end))),
      ifThen(
        i32.le_u(draw(st, m), c(SPACE_BELOW)),
        [i32.store8(get(pos), c(32))],
        [i32.store8(get(pos), i32.add(c(97), scale(draw(st, m), c(26))))],
      ),
      local.set(pos, i32.add(get(pos), c(1))),
      br(0),
    ])]),
    i32.store(c(STATE_ADDR), get(st)),
    // trim spaces at both ends
    local.set(a, get(ptr)),
    block([loop([
      brIf(1, i32.ge_u(get(a), get(pos))),
      brIf(1, i32.ne(i32.load8_u(get(a)), c(32))),
      local.set(a, i32.add(get(a), c(1))),
      br(0),
    ])]),
    block([loop([
      brIf(1, i32.le_u(get(pos), get(a))),
      brIf(1, i32.ne(i32.load8_u(i32.sub(get(pos), c(1))), c(32))),
      local.set(pos, i32.sub(get(pos), c(1))),
      br(0),
    ])]),
    ifThen(i32.gt_u(get(a), get(ptr)), [
      memory.copy(get(ptr), get(a), i32.sub(get(pos), get(a))),
      local.set(pos, i32.sub(get(pos), i32.sub(get(a), get(ptr)))),
    ]),
    get(pos),
  );
}

/** extra(current, avg) at ptr from state st; returns its end, the state at STATE_ADDR. */
function extraFn(): Code {
  const [ptr, current, avg, st, d, delta, size, m] = [0, 1, 2, 3, 4, 5, 6, 7];
  return seq(
    ifThen(i32.gt_s(get(current), get(avg)), [i32.store(c(STATE_ADDR), get(st)), ret(get(ptr))]),
    local.set(d, i32.sub(get(avg), get(current))),
    // delta = round half up of d * 0.2 (never within an ulp of a half for an integer d)
    local.set(delta, i32.trunc_f64_s(f64.floor(f64.add(f64.mul(f64.convert_i32_s(get(d)), f64.const(0.2)), f64.const(0.5))))),
    local.set(size, i32.sub(get(d), get(delta))),
    ifThen(get(delta), [local.set(size, i32.add(get(size), scale(draw(st, m), i32.shl(get(delta), c(1)))))]),
    i32.store(c(STATE_ADDR), call(F_EXACT_STRING, get(ptr), get(size), get(st))),
    i32.add(get(ptr), get(size)),
  );
}

/** A bid's url and extra (see NexmarkKernel.bidStrings). */
function bidStringsFn(): Code {
  const [ptr, st, channelLength, avg, offsets, pos] = [0, 1, 2, 3, 4, 5];
  const state = i32.load(c(STATE_ADDR));
  return seq(
    v128.store(get(ptr), v128.load(c(URL_PREFIX_ADDR))),
    i64.store(get(ptr), i64.load(c(URL_PREFIX_ADDR), 16), 16),
    local.set(pos, call(F_NEXT_STRING, i32.add(get(ptr), c(24)), c(5), get(st))),
    i32.store8(get(pos), c(47)), // '/'
    local.set(pos, call(F_NEXT_STRING, i32.add(get(pos), c(1)), c(5), state)),
    v128.store(get(pos), v128.load(c(URL_SUFFIX_ADDR))),
    i32.store8(get(pos), c(49), 16), // the suffix's 17th byte, '1'
    local.set(pos, i32.add(get(pos), c(17))),
    i32.store(get(offsets), get(ptr)),
    i32.store(get(offsets), get(pos), 4),
    local.set(pos, call(F_EXTRA, get(pos), i32.add(c(32), i32.add(get(channelLength), i32.sub(get(pos), get(ptr)))), get(avg), state)),
    i32.store(get(offsets), get(pos), 8),
    get(pos),
  );
}

/** Bid event e: the draws of generator.ts's bid loop (and the spec's Bid draw order), then bidStrings. */
function bidFn(): Code {
  const [ptr, e, lastA, lastP, offsets, st, m, h, hi, id, min, n, channel, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const cfg32 = (offset: number): Code => i32.load(c(CONFIG_ADDR), offset);
  const cfg64 = (offset: number): Code => i64.load(c(CONFIG_ADDR), offset);
  const u64 = (x: Code): Code => i64.extend_i32_u(x);
  // next53() mod n, in the i64 local id: the high draw first
  const nextLongInto = (target: number, modulus: Code): Code => seq(
    local.set(hi, draw(st, m)),
    local.set(target, i64.rem_u(i64.or(i64.shl(u64(get(hi)), i64.const(21n)), i64.shr_u(u64(draw(st, m)), i64.const(11n))), modulus)),
  );
  return seq(
    // state(seed, e) for e < 2^32: fmix32(e ^ fmix32(seed ^ 0x9e3779b9) ^ fmix32(0))
    local.set(h, i32.xor(get(e), cfg32(0))),
    local.set(h, i32.mul(i32.xor(get(h), i32.shr_u(get(h), c(16))), c(0x85ebca6b))),
    local.set(h, i32.mul(i32.xor(get(h), i32.shr_u(get(h), c(13))), c(0xc2b2ae35))),
    local.set(st, i32.xor(get(h), i32.shr_u(get(h), c(16)))),
    // auction = nextInt(hotAuctionRatio) > 0 ? floor(lastAuction / 100) * 100 : randomAuction(e)
    ifThen(scale(draw(st, m), cfg32(4)),
      [local.set(id, i64.mul(i64.div_u(u64(get(lastA)), i64.const(100n)), i64.const(100n)))],
      [
        local.set(min, i64.sub(u64(get(lastA)), cfg64(16))),
        local.set(min, select(i64.const(0n), get(min), i64.lt_s(get(min), i64.const(0n)))),
        nextLongInto(id, i64.add(i64.sub(u64(get(lastA)), get(min)), i64.const(11n))),
        local.set(id, i64.add(get(id), get(min))),
      ]),
    f64.store(c(BID_OUT_ADDR), f64.convert_i64_u(get(id))),
    // bidder = nextInt(hotBiddersRatio) > 0 ? floor(lastPerson / 100) * 100 + 1 : randomPerson(e)
    ifThen(scale(draw(st, m), cfg32(8)),
      [local.set(id, i64.add(i64.mul(i64.div_u(u64(get(lastP)), i64.const(100n)), i64.const(100n)), i64.const(1n)))],
      [
        local.set(n, i64.add(u64(get(lastP)), i64.const(1n))),
        local.set(min, select(get(n), cfg64(24), i64.lt_s(get(n), cfg64(24)))), // active = min(n, numActivePeople)
        nextLongInto(id, i64.add(get(min), i64.const(10n))),
        local.set(id, i64.add(get(id), i64.sub(get(n), get(min)))),
      ]),
    f64.store(c(BID_OUT_ADDR), f64.convert_i64_u(get(id)), 8),
    // price = 10^nextInt(6) * (100 + nextInt(900)), k drawn first
    local.set(k, scale(draw(st, m), c(6))),
    f64.store(c(BID_OUT_ADDR), f64.convert_i64_u(u64(i32.mul(
      i32.load(i32.shl(get(k), c(2)), POW10_ADDR),
      i32.add(c(100), scale(draw(st, m), c(900))),
    ))), 16),
    // channel = nextInt(4)
    local.set(channel, i32.shr_u(draw(st, m), c(30))),
    i32.store(c(BID_OUT_ADDR), get(channel), 24),
    call(F_BID_STRINGS, get(ptr), get(st), i32.load8_u(get(channel), CHANNEL_LENGTH_ADDR), cfg32(12), get(offsets)),
  );
}

const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];

/** The module's bytes. */
export function kernelBytes(): Uint8Array {
  return assemble({
    memoryPages: 2,
    data: [
      { offset: URL_PREFIX_ADDR, bytes: ascii('https://www.nexmark.com/') },
      { offset: URL_SUFFIX_ADDR, bytes: ascii('/item.htm?query=1') },
      { offset: POW10_ADDR, bytes: [...Buffer.from(Int32Array.from([1, 10, 100, 1000, 10000, 100000]).buffer)] },
      { offset: CHANNEL_LENGTH_ADDR, bytes: ['Apple', 'Google', 'Facebook', 'Baidu'].map((ch) => ch.length) },
    ],
    functions: [
      { params: ['i32', 'i32', 'i32'], result: 'i32', locals: ['i32', 'v128', 'v128'], body: exactStringFn() },
      { name: 'nextString', params: ['i32', 'i32', 'i32'], result: 'i32', locals: ['i32', 'i32', 'i32', 'i32'], body: nextStringFn() },
      { name: 'extra', params: ['i32', 'i32', 'i32', 'i32'], result: 'i32', locals: ['i32', 'i32', 'i32', 'i32'], body: extraFn() },
      { name: 'bidStrings', params: ['i32', 'i32', 'i32', 'i32', 'i32'], result: 'i32', locals: ['i32'], body: bidStringsFn() },
      {
        name: 'bid',
        params: ['i32', 'i32', 'i32', 'i32', 'i32'],
        result: 'i32',
        // st, m, h, hi (i32); id, min, n (i64); channel, k (i32)
        locals: ['i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i64', 'i32', 'i32'],
        body: bidFn(),
      },
    ],
  });
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: unknown };
}

/** A fresh instance of the kernel (each has its own memory). */
export function instantiateNexmarkKernel(): NexmarkKernel {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) {
    throw new Error('the Nexmark generator needs WebAssembly with SIMD (Node ≥ 16.4, not run with --jitless)');
  }
  const instance = new wasm.Instance(new wasm.Module(kernelBytes()));
  return instance.exports as NexmarkKernel;
}

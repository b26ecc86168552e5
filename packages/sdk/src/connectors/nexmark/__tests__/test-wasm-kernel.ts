import test from 'ava';
import { NexmarkRandom, extra, nextString } from '../random.js';
import {
  OFFSETS_ADDR,
  SLACK,
  STATE_ADDR,
  STRINGS_ADDR,
  instantiateNexmarkKernel,
  kernelBytes,
} from '../wasm-kernel.js';
import { assemble, i32, local } from '../wasm-assembler.js';

const kernel = instantiateNexmarkKernel();
const mem = (): Buffer => Buffer.from(kernel.memory.buffer);
const stateOut = (): number => new Int32Array(kernel.memory.buffer)[STATE_ADDR >> 2]!;
const text = (start: number, end: number): string => mem().toString('latin1', start, end);

/** Streams at many states, including the int32 sign boundary and wrap-around. */
const STATES = [0, 1, 42, 0x7fffffff, -0x80000000, -1, ...Array.from({ length: 200 }, (_, i) => Math.imul(i + 1, 0x9e3779b9))];

test('the assembler builds a valid module whose exports compute', (t) => {
  const bytes = assemble({
    memoryPages: 1,
    data: [{ offset: 8, bytes: [7, 0, 0, 0] }],
    functions: [{ name: 'f', params: ['i32'], result: 'i32', locals: [], body: i32.add(i32.mul(local.get(0), i32.const(-3)), i32.load(i32.const(8))) }],
  });
  const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean; Instance: new (m: object) => { exports: { f(x: number): number } }; Module: new (b: Uint8Array) => object } }).WebAssembly;
  t.true(wasm.validate(bytes));
  t.is(new wasm.Instance(new wasm.Module(bytes)).exports.f(5), -8);
  t.true(wasm.validate(kernelBytes()));
});

test('nextString draws exactly as the spec, trimmed, and hands back the stream state', (t) => {
  for (const max of [4, 5, 7, 20, 100]) {
    for (const s of STATES) {
      const ref = new NexmarkRandom();
      ref.state = s;
      const expected = nextString(ref, max);
      const end = kernel.nextString(STRINGS_ADDR, max, s);
      t.is(text(STRINGS_ADDR, end), expected, `max ${max}, state ${s}`);
      t.is(stateOut(), ref.state, `state after nextString(${max}) from ${s}`);
    }
  }
});

test('extra draws exactly as the spec for sizes across SIMD block boundaries', (t) => {
  for (const [current, avg] of [[101, 100], [100, 100], [99, 100], [90, 100], [60, 100], [110, 500], [0, 33], [0, 4096]] as const) {
    for (const s of STATES.slice(0, 60)) {
      const ref = new NexmarkRandom();
      ref.state = s;
      const expected = extra(ref, current, avg);
      const end = kernel.extra(STRINGS_ADDR, current, avg, s);
      t.is(text(STRINGS_ADDR, end), expected, `extra(${current}, ${avg}) from ${s}`);
      t.is(stateOut(), ref.state);
    }
  }
});

test('writes past the returned end stay within SLACK bytes', (t) => {
  for (const d of [1, 2, 3, 14, 15, 16, 17, 18, 19, 20, 21, 40, 100, 333]) {
    for (const s of STATES.slice(0, 20)) {
      mem().fill(0xee, STRINGS_ADDR, STRINGS_ADDR + 4096);
      const ref = new NexmarkRandom();
      ref.state = s;
      const expected = extra(ref, 1000 - d, 1000);
      const end = kernel.extra(STRINGS_ADDR, 1000 - d, 1000, s);
      t.is(text(STRINGS_ADDR, end), expected);
      const after = mem().subarray(end + SLACK, STRINGS_ADDR + 4096);
      t.true(after.every((b) => b === 0xee), `nothing written beyond end + ${SLACK} (size ${end - STRINGS_ADDR})`);
    }
  }
});

test('bidStrings writes the url and extra of a bid and their offsets', (t) => {
  for (const s of STATES.slice(0, 50)) {
    for (const channel of ['Apple', 'Facebook']) {
      const ref = new NexmarkRandom();
      ref.state = s;
      const url = `https://www.nexmark.com/${nextString(ref, 5)}/${nextString(ref, 5)}/item.htm?query=1`;
      const ex = extra(ref, 32 + channel.length + url.length, 100);
      const at = STRINGS_ADDR + 100;
      const end = kernel.bidStrings(at, s, channel.length, 100, OFFSETS_ADDR + 24);
      const off = new Int32Array(kernel.memory.buffer, OFFSETS_ADDR + 24, 3);
      t.deepEqual([...off], [at, at + url.length, end]);
      t.is(text(at, off[1]!), url);
      t.is(text(off[1]!, end), ex);
    }
  }
});

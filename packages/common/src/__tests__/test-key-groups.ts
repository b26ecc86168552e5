import test from 'ava';
import { assignToKeyGroup, keyGroupRangeForSubtask, murmur3, operatorIndexForKeyGroup, serializeKey, subtaskForKey } from '../key-groups.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('murmur3 matches the reference x86 32-bit vectors', (t) => {
  t.is(murmur3(enc('')), 0);
  t.is(murmur3(enc(''), 1), 0x514e28b7);
  t.is(murmur3(enc('hello')), 0x248bfa47);
  t.is(murmur3(enc('The quick brown fox jumps over the lazy dog')), 0x2e4ff723);
});

test('equal keys serialize to equal bytes whatever their object key order', (t) => {
  t.deepEqual(serializeKey({ a: 1, b: [2, 'x'] }), serializeKey({ b: [2, 'x'], a: 1 }));
  t.deepEqual(serializeKey(0), serializeKey(-0));
  t.notDeepEqual(serializeKey('1'), serializeKey(1));
  t.throws(() => serializeKey(undefined), { message: /must not be undefined/ });
});

// A small deterministic PRNG so the property runs are reproducible.
function* randomKeys(seed: number, n: number): Generator<unknown> {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (x ^ (x >>> 14)) >>> 0;
  };
  for (let i = 0; i < n; i++) {
    const r = next();
    switch (r % 4) {
      case 0: yield `user-${next()}`;
        break;
      case 1: yield next() / 7;
        break;
      case 2: yield [next() % 100, 'k'];
        break;
      default: yield { id: next() % 1000 };
    }
  }
}

test('property: every key lands in exactly one subtask, the one whose key-group range holds it, for any parallelism', (t) => {
  for (const maxP of [1, 7, 128, 1000]) {
    for (let p = 1; p <= Math.min(maxP, 40); p++) {
      const ranges = Array.from({ length: p }, (_, i) => keyGroupRangeForSubtask(maxP, p, i));
      // Ranges are contiguous, disjoint and cover [0, maxP).
      t.is(ranges[0]!.start, 0);
      t.is(ranges[p - 1]!.end, maxP - 1);
      for (let i = 1; i < p; i++) t.is(ranges[i]!.start, ranges[i - 1]!.end + 1);
      for (const key of randomKeys(maxP * 31 + p, 200)) {
        const kg = assignToKeyGroup(key, maxP);
        t.true(kg >= 0 && kg < maxP);
        const owners = ranges.filter((r) => kg >= r.start && kg <= r.end).length;
        t.is(owners, 1);
        const s = subtaskForKey(key, maxP, p);
        t.true(kg >= ranges[s]!.start && kg <= ranges[s]!.end);
        t.is(operatorIndexForKeyGroup(maxP, p, kg), s);
      }
    }
  }
});

test('key groups are stable values, identical on every run and process', (t) => {
  t.is(assignToKeyGroup('hello', 128), murmur3(serializeKey('hello')) % 128);
  t.deepEqual([assignToKeyGroup('hello', 128), assignToKeyGroup(42, 128), assignToKeyGroup({ a: 1 }, 128)], [15, 106, 112]);
});

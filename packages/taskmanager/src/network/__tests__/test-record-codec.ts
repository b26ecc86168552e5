import test from 'ava';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createRecordCodec } from '../record-codec.js';

const SAMPLES: unknown[] = [
  { a: 1, b: 'x', c: true, d: null, e: [1, 2, 3] },
  { nested: { deep: { deeper: [{ x: 1.5 }, { x: -2.25, y: 'é' }] } }, list: [[], {}, [[1]]] },
  { unicode: 'héllo wörld — 日本語 🚀 \u0000 nul', emoji: '👩‍👩‍👧‍👦', empty: '' },
  { doubles: [0.1, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 3.141592653589793] },
  { zeros: [0, -0, { z: -0 }], neg: -123456789, big: 4294967296, small: -4294967297 },
  { nulString: '\u0000-0', nulPrefix: '\u0000\u0000x' },
  'a bare string',
  42,
  -0,
  null,
  [1, 'two', [3], { four: 4 }],
  { long: 'x'.repeat(70_000) },
];

for (const name of ['msgpack', 'json'] as const) {
  test(`record-codec: ${name} round-trips JSON-like values including unicode, doubles, -0 and nesting`, (t) => {
    const codec = createRecordCodec(name);
    t.is(codec.name, name);
    const decoded = codec.decode(codec.encode(SAMPLES));
    t.deepEqual(decoded, SAMPLES);
    t.true(Object.is((decoded[4] as { zeros: unknown[] }).zeros[1], -0));
    t.true(Object.is(((decoded[4] as { zeros: unknown[] }).zeros[2] as { z: number }).z, -0));
    t.true(Object.is(decoded[8], -0));
  });

  test(`record-codec: ${name} buffers stay valid after later encodes and decode independently`, (t) => {
    const codec = createRecordCodec(name);
    const first = codec.encode([{ k: 1, s: 'one' }, { k: 2, s: 'two' }]);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1000; i++) codec.encode([{ k: i, s: 'other'.repeat(i % 7), z: [i] }]);
    t.deepEqual(first, copy);
    t.deepEqual(createRecordCodec(name).decode(first), [{ k: 1, s: 'one' }, { k: 2, s: 'two' }]);
  });

  test(`record-codec: ${name} decoded strings do not keep the network buffer alive`, async (t) => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const codec = createRecordCodec(name);
    const records = Array.from({ length: 2000 }, (_, i) => ({ id: i, url: `https://example.com/item/${i}/with/a/longish/path` }));
    let kept: string | undefined;
    let ref: WeakRef<ArrayBuffer> | undefined;
    (() => {
      const wire = Buffer.from(codec.encode(records)); // its own ArrayBuffer, like a socket chunk
      ref = new WeakRef(wire.buffer);
      kept = (codec.decode(wire)[1234] as { url: string }).url;
    })();
    for (let i = 0; i < 5 && ref!.deref() !== undefined; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    t.is(ref!.deref(), undefined);
    t.is(kept, 'https://example.com/item/1234/with/a/longish/path');
  });
}

test('record-codec: the default codec is msgpack', (t) => {
  t.is(createRecordCodec().name, 'msgpack');
});

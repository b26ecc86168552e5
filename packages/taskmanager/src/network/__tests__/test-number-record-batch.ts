import test from 'ava';
import { createRecordCodec } from '../record-codec.js';
import { NUMBER_BATCH_TAG, decodeNumberBatch, encodeNumberBatch } from '../number-record-batch.js';

test('number batch: plain number objects of one shape round-trip exactly, -0, NaN and infinities included', (t) => {
  const records = [
    { auction: 1000, price: 12_345_600, bidder: 1001, dateTime: 1_700_000_000_123 },
    { auction: -0, price: NaN, bidder: Infinity, dateTime: -Infinity },
    { auction: 0.1, price: Number.MAX_VALUE, bidder: Number.MIN_VALUE, dateTime: 2 ** 53 + 2 },
  ];
  const bytes = encodeNumberBatch(records)!;
  t.is(bytes[0], NUMBER_BATCH_TAG);
  const back = decodeNumberBatch(bytes) as typeof records;
  t.deepEqual(back, records);
  t.true(Object.is(back[1]!.auction, -0));
  t.deepEqual(Object.keys(back[0]!), ['auction', 'price', 'bidder', 'dateTime']);
  // through the default codec
  const codec = createRecordCodec();
  t.deepEqual(codec.decode(codec.encode(records)), records);
  t.is(codec.encode(records)[0], NUMBER_BATCH_TAG);
});

test('number batch: anything else goes to the general codec, unchanged', (t) => {
  class Point { constructor(readonly x: number) {} }
  const cases: unknown[][] = [
    [{ a: 1 }, { a: 1, b: 2 }], // an extra key
    [{ a: 1, b: 2 }, { b: 2, a: 1 }], // another key order
    [{ a: 1 }, { a: '1' }], // a string value
    [{ a: 1 }, { a: null }],
    [{ a: 1 }, [1]],
    [{ a: 1 }, 5],
    [new Point(1)], // not a plain object
    [Object.assign(Object.create(null) as object, { a: 1 })],
    [{ 'not-an-identifier': 1 }],
    [{}],
    [],
  ];
  const codec = createRecordCodec();
  for (const records of cases) {
    t.is(encodeNumberBatch(records), undefined, JSON.stringify(records));
    const bytes = codec.encode(records);
    t.not(bytes[0], NUMBER_BATCH_TAG);
    const back = codec.decode(bytes);
    t.is(back.length, records.length);
  }
  t.deepEqual(codec.decode(codec.encode([{ a: 1, b: 2 }, { b: 2, a: 1 }])), [{ a: 1, b: 2 }, { b: 2, a: 1 }]);
});

test('number batch: malformed bytes are rejected with a TypeError, never code', (t) => {
  const good = encodeNumberBatch([{ a: 1, b: 2 }, { a: 3, b: 4 }])!;
  t.throws(() => decodeNumberBatch(good.subarray(0, good.length - 1)), { instanceOf: TypeError });
  t.throws(() => decodeNumberBatch(Buffer.from([NUMBER_BATCH_TAG])), { instanceOf: TypeError });
  t.throws(() => decodeNumberBatch(Buffer.from([NUMBER_BATCH_TAG, 0, 0, 0, 0, 0])), { instanceOf: TypeError });
  t.throws(() => decodeNumberBatch(Buffer.from([NUMBER_BATCH_TAG, 1, 200, 97])), { instanceOf: TypeError });
  // a key that is not an identifier (would be code if spliced into the generated reader)
  const evil = '"]:0};globalThis.pwned=1;({"';
  const bytes = Buffer.concat([Buffer.from([NUMBER_BATCH_TAG, 1, evil.length]), Buffer.from(evil, 'latin1'), Buffer.from([1, 0, 0, 0]), Buffer.alloc(8)]);
  t.throws(() => decodeNumberBatch(bytes), { instanceOf: TypeError, message: /bad key/ });
  t.is((globalThis as { pwned?: number }).pwned, undefined);
  // random bytes after the tag never crash the process: they decode or throw a TypeError
  for (let i = 0; i < 2000; i++) {
    const junk = Buffer.from(Array.from({ length: 1 + (i % 40) }, (_, j) => (j === 0 ? NUMBER_BATCH_TAG : (i * 31 + j * 17) & 0xff)));
    try {
      decodeNumberBatch(junk);
    } catch (e) {
      t.true(e instanceof TypeError);
    }
  }
});

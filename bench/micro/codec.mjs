// Record codecs, encode + decode throughput on ~130-byte Nexmark bids in ~32 KiB batches.
//
// Run (after building the network layer, see packages/taskmanager/src/network):
//   cd /work/main && npx tsc -b packages/common && npx tsc -p /tmp/net/tsconfig.json && node bench/micro/codec.mjs [rounds=3] [seconds=0.6]
// Prints, per codec, the median over `rounds` of records/s for encode + decode of whole batches.
import v8 from 'node:v8';
import { Packr, Unpackr } from 'msgpackr';
import protobuf from 'protobufjs';
import { createRecordCodec } from '../../packages/taskmanager/lib/network/record-codec.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 0.6);
const CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];

class Bid {
  constructor(auction, bidder, price, channel, url, dateTime, extra) {
    this.auction = auction;
    this.bidder = bidder;
    this.price = price;
    this.channel = channel;
    this.url = url;
    this.dateTime = dateTime;
    this.extra = extra;
  }
}

function makeBid(i) {
  const r = (i * 2654435761) >>> 0;
  return new Bid(1000 + (r % 5000), 1000 + (r % 997), 100 + (r % 100000), CHANNELS[r % 4],
    `https://www.nexmark.com/${(r % 9999).toString(36)}/item.htm?query=1`, 1700000000000 + i,
    'wtatweaobh'.slice(0, 5 + (r % 6)));
}

/** Hand-written schema codec: fixed-width columns first, then one string heap written at once. */
const schemaCodec = {
  encode(records) {
    const n = records.length;
    let heap = '';
    for (let i = 0; i < n; i++) {
      const r = records[i];
      heap += r.channel;
      heap += r.url;
      heap += r.extra;
    }
    heap = heap.length ? heap.concat('') : heap; // flat once (a cons string would slow the write)
    const heapBytes = Buffer.byteLength(heap);
    const ascii = heapBytes === heap.length ? 1 : 0;
    const fixed = 8 + n * (4 * 8 + 3 * 2);
    const buf = Buffer.allocUnsafe(fixed + heapBytes);
    buf.writeUInt32LE(n, 0);
    buf.writeUInt32LE(ascii, 4);
    let o = 8;
    for (let i = 0; i < n; i++) {
      const r = records[i];
      buf.writeDoubleLE(r.auction, o);
      buf.writeDoubleLE(r.bidder, o + 8);
      buf.writeDoubleLE(r.price, o + 16);
      buf.writeDoubleLE(r.dateTime, o + 24);
      buf.writeUInt16LE(r.channel.length, o + 32);
      buf.writeUInt16LE(r.url.length, o + 34);
      buf.writeUInt16LE(r.extra.length, o + 36);
      o += 38;
    }
    buf.write(heap, fixed, ascii ? 'latin1' : 'utf8');
    return buf;
  },
  decode(buf) {
    const n = buf.readUInt32LE(0);
    const ascii = buf.readUInt32LE(4) === 1;
    const fixed = 8 + n * 38;
    const heap = buf.toString(ascii ? 'latin1' : 'utf8', fixed);
    const out = new Array(n);
    let o = 8;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const lc = buf.readUInt16LE(o + 32), lu = buf.readUInt16LE(o + 34), le = buf.readUInt16LE(o + 36);
      out[i] = new Bid(buf.readDoubleLE(o), buf.readDoubleLE(o + 8), buf.readDoubleLE(o + 16),
        heap.slice(s, (s += lc)), heap.slice(s, (s += lu)), buf.readDoubleLE(o + 24), heap.slice(s, (s += le)));
      o += 38;
    }
    return out;
  },
};

const pbRoot = protobuf.Root.fromJSON({
  nested: {
    Bid: { fields: { auction: { type: 'int64', id: 1 }, bidder: { type: 'int64', id: 2 }, price: { type: 'int64', id: 3 },
      channel: { type: 'string', id: 4 }, url: { type: 'string', id: 5 }, dateTime: { type: 'int64', id: 6 }, extra: { type: 'string', id: 7 } } },
    Batch: { fields: { bids: { rule: 'repeated', type: 'Bid', id: 1 } } },
  },
});
const PbBatch = pbRoot.lookupType('Batch');

const packrPlain = new Packr({ useRecords: false });
const unpackrPlain = new Unpackr({ useRecords: false });
const structures = [];
const packrShared = new Packr({ structures });
const unpackrShared = new Unpackr({ structures });
const eddyMsgpack = createRecordCodec('msgpack');
const eddyJson = createRecordCodec('json');

const codecs = {
  'JSON (stringify/parse + utf8)': { encode: (r) => Buffer.from(JSON.stringify(r)), decode: (b) => JSON.parse(b.toString()) },
  'eddy json codec': eddyJson,
  'msgpackr plain (no records)': { encode: (r) => packrPlain.pack(r), decode: (b) => unpackrPlain.unpack(b) },
  'msgpackr records per batch = eddy msgpack codec': eddyMsgpack,
  'msgpackr shared structures': { encode: (r) => packrShared.pack(r), decode: (b) => unpackrShared.unpack(b) },
  'v8.serialize/deserialize': { encode: (r) => v8.serialize(r), decode: (b) => v8.deserialize(b) },
  'protobufjs (static schema via reflection)': { encode: (r) => Buffer.from(PbBatch.encode({ bids: r }).finish()), decode: (b) => PbBatch.decode(b).bids },
  'hand-written schema codec (string heap)': schemaCodec,
};

const bids = Array.from({ length: 100_000 }, (_, i) => makeBid(i));
const perRecord = Buffer.byteLength(JSON.stringify(bids.slice(0, 1000))) / 1000;
const BATCH = Math.round(32768 / eddyMsgpack.encode(bids.slice(0, 1000)).length * 1000);
const batches = [];
for (let i = 0; i + BATCH <= bids.length; i += BATCH) batches.push(bids.slice(i, i + BATCH));
console.log(`records: ~${perRecord.toFixed(0)} JSON bytes each, ${BATCH} per batch (~32 KiB msgpack), node ${process.version}`);

function round(codec) {
  let records = 0;
  let k = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  while (performance.now() < deadline) {
    for (let j = 0; j < 10; j++) {
      const batch = batches[k++ % batches.length];
      const out = codec.decode(codec.encode(batch));
      if (out.length !== batch.length) throw new Error('bad round trip');
      records += batch.length;
    }
  }
  return records / ((performance.now() - start) / 1000);
}

const results = [];
for (const [name, codec] of Object.entries(codecs)) {
  const check = codec.decode(codec.encode(batches[0]));
  if (check[7].url !== batches[0][7].url || Number(check[7].price) !== batches[0][7].price) throw new Error(`${name} round trip`);
  round(codec); // warm-up
  const rates = Array.from({ length: ROUNDS }, () => round(codec)).sort((a, b) => a - b);
  const bytes = codec.encode(batches[0]).length / BATCH;
  results.push({ name, median: rates[Math.floor(ROUNDS / 2)], bytes, rates });
  console.log(`${name.padEnd(50)} ${(rates[Math.floor(ROUNDS / 2)] / 1e6).toFixed(2)} M rec/s  ` +
    `(${bytes.toFixed(1)} B/rec; runs ${rates.map((r) => (r / 1e6).toFixed(2)).join(' ')})`);
}

// Records of numbers only (keys, prices, timestamps: what keyed shuffles mostly carry), where Eddy's
// codec takes its number-batch format.
const packrRecords = new Packr({ useRecords: true, moreTypes: false });
const unpackrRecords = new Unpackr({ useRecords: true });
const numberCodecs = {
  'msgpackr records per batch': { encode: (r) => packrRecords.pack(r), decode: (b) => unpackrRecords.unpack(b) },
  'eddy msgpack codec (number batch)': eddyMsgpack,
};
const priced = bids.map((b) => ({ auction: b.auction, price: b.price, bidder: b.bidder, dateTime: b.dateTime }));
batches.length = 0;
for (let i = 0; i + 1000 <= priced.length; i += 1000) batches.push(priced.slice(i, i + 1000));
console.log('\nnumber records { auction, price, bidder, dateTime }, 1000 per batch');
for (const [name, codec] of Object.entries(numberCodecs)) {
  round(codec);
  const rates = Array.from({ length: ROUNDS }, () => round(codec)).sort((a, b) => a - b);
  const bytes = codec.encode(batches[0]).length / 1000;
  console.log(`${name.padEnd(50)} ${(rates[Math.floor(ROUNDS / 2)] / 1e6).toFixed(2)} M rec/s  ` +
    `(${bytes.toFixed(1)} B/rec; runs ${rates.map((r) => (r / 1e6).toFixed(2)).join(' ')})`);
}

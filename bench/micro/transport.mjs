// Two processes over loopback: Eddy's framed TCP data layer vs one grpc-js client stream carrying
// the same batched bytes (msgpack codec, ~32 KiB buffers, identity serializers).
//
// Run (after building the network layer, see packages/taskmanager/src/network):
//   cd /work/main && npx tsc -b packages/common && npx tsc -p /tmp/net/tsconfig.json \
//     && node bench/micro/transport.mjs [records=1000000] [rounds=3]
// The parent produces, a forked child consumes and decodes; the rate is records / (time from the
// first emit to the consumer's last decoded record). Prints the median of `rounds` per transport.
import { fork } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '@eddy/common';
import { NetworkEnvironment } from '../../packages/taskmanager/lib/network/index.js';
import { createRecordCodec } from '../../packages/taskmanager/lib/network/record-codec.js';

const RECORDS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const HOST = '127.0.0.1';
const identity = { path: '/eddy.bench.Bytes/Stream', requestStream: true, responseStream: false,
  requestSerialize: (b) => b, requestDeserialize: (b) => b, responseSerialize: (b) => b, responseDeserialize: (b) => b };

const url = 'https://www.nexmark.com/mpa/esoh/item.htm?query=1';
const makeBid = (i) => ({ auction: 1000 + (i % 5000), bidder: 1000 + (i % 997), price: 100 + (i % 100000),
  channel: 'Google', url, dateTime: 1700000000000 + i, extra: 'wtatweaobh' });

async function consumer(mode) {
  const codec = createRecordCodec();
  if (mode === 'tcp') {
    const env = await NetworkEnvironment.start({ host: HOST, logger: silentLogger });
    const gate = env.createInputGate({ taskKey: 'bench', gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec });
    process.send({ port: env.port });
    let n = 0;
    for (;;) {
      const e = gate.pollNext();
      if (e === 'end') break;
      if (e === undefined) await gate.availability();
      else n += e.records.length;
    }
    process.send({ done: n });
    await env.close();
  } else {
    const server = new grpc.Server();
    let n = 0;
    server.addService({ Stream: identity }, {
      Stream: (call, cb) => {
        call.on('data', (b) => (n += codec.decode(b).length));
        call.on('end', () => {
          cb(null, Buffer.alloc(0));
          process.send({ done: n });
          server.tryShutdown(() => {});
        });
      },
    });
    server.bindAsync(`${HOST}:0`, grpc.ServerCredentials.createInsecure(), (err, port) => process.send({ port }));
  }
}

async function producer(mode, port) {
  const codec = createRecordCodec();
  const start = performance.now();
  if (mode === 'tcp') {
    const env = await NetworkEnvironment.start({ host: HOST, logger: silentLogger });
    const p = env.createResultPartition({ consumers: [{ host: HOST, port, taskKey: 'bench', gateIndex: 0 }], producerIndex: 0,
      codec, bufferSizeBytes: 32768, bufferTimeoutMs: 100, maxQueuedBuffersPerChannel: 4 });
    for (let i = 0; i < RECORDS; ) {
      if (!p.isAvailable()) await p.availability();
      const end = Math.min(RECORDS, i + 1000);
      for (; i < end; i++) p.emit(0, makeBid(i));
    }
    await p.finish();
    await env.close();
  } else {
    const Client = grpc.makeGenericClientConstructor({ Stream: identity });
    const client = new Client(`${HOST}:${port}`, grpc.credentials.createInsecure());
    const done = new Promise((resolve, reject) => {
      const call = client.Stream((err) => (err ? reject(err) : resolve()));
      (async () => {
        const perBatch = Math.floor(32768 / codec.encode([makeBid(0), makeBid(1)]).length * 2);
        for (let i = 0; i < RECORDS; ) {
          const batch = [];
          const end = Math.min(RECORDS, i + perBatch);
          for (; i < end; i++) batch.push(makeBid(i));
          if (!call.write(codec.encode(batch))) await new Promise((r) => call.once('drain', r));
        }
        call.end();
      })();
    });
    await done;
    client.close();
  }
  return start;
}

async function run(mode) {
  const child = fork(new URL(import.meta.url), ['--consumer', mode]);
  const port = await new Promise((r) => child.once('message', (m) => r(m.port)));
  const doneMsg = new Promise((r) => child.on('message', (m) => m.done !== undefined && r(m.done)));
  const start = await producer(mode, port);
  const n = await doneMsg;
  const seconds = (performance.now() - start) / 1000;
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  if (n !== RECORDS) throw new Error(`${mode}: ${n} of ${RECORDS} records`);
  return RECORDS / seconds;
}

if (process.argv[2] === '--consumer') {
  await consumer(process.argv[3]);
} else {
  console.log(`${RECORDS} records per run, node ${process.version}`);
  for (const mode of ['tcp', 'grpc']) {
    const rates = [];
    for (let i = 0; i < ROUNDS; i++) rates.push(await run(mode));
    rates.sort((a, b) => a - b);
    const label = mode === 'tcp' ? 'framed TCP (NetworkEnvironment, credit flow)' : 'grpc-js client stream, same batches';
    console.log(`${label.padEnd(46)} ${(rates[Math.floor(ROUNDS / 2)] / 1e6).toFixed(2)} M rec/s  ` +
      `(runs ${rates.map((r) => (r / 1e6).toFixed(2)).join(' ')})`);
  }
}

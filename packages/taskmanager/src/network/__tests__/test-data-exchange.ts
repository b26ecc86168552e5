import test from 'ava';
import { createRecordCodec } from '../record-codec.js';
import type { ResultPartition } from '../result-partition.js';
import { bid, countingCodec, drain, HOST, sleep, withEnvironments } from './helpers.js';

const PARTITION_DEFAULTS = { bufferSizeBytes: 32768, bufferTimeoutMs: 100, maxQueuedBuffersPerChannel: 4 };

/** Emits `n` records per channel, respecting availability between batches of 500. */
async function produce(p: ResultPartition, producer: number, n: number): Promise<void> {
  for (let i = 0; i < n; ) {
    if (!p.isAvailable()) {
      await p.availability();
      if (p.error !== undefined) throw p.error;
      continue;
    }
    const end = Math.min(n, i + 500);
    for (; i < end; i++) for (let c = 0; c < p.numChannels; c++) p.emit(c, { ...bid(i), producer });
  }
  await p.finish();
}

test('data-exchange: 2 producers x 2 consumers move 200k records in order per channel, then end', async (t) => {
  await withEnvironments(4, async ([c0, c1, p0, p1]) => {
    const codec = createRecordCodec();
    const consumers = [c0!, c1!].map((env, i) => ({ host: HOST, port: env.port, taskKey: `job/sink/${i}`, gateIndex: 0 }));
    const gates = [c0!, c1!].map((env, i) =>
      env.createInputGate({ taskKey: `job/sink/${i}`, gateIndex: 0, numChannels: 2, creditsPerChannel: 4, codec }),
    );
    const parts = [p0!, p1!].map((env, i) => env.createResultPartition({ consumers, producerIndex: i, codec, ...PARTITION_DEFAULTS }));
    const perPair = 50_000; // 2 producers x 2 consumers x 50k = 200k records
    const received = gates.map(() => [0, 0]);
    const drains = gates.map((g, gi) =>
      drain(g, (e) => {
        for (const r of e.records as { seq: number; producer: number }[]) {
          if (r.producer !== e.channel) throw new Error(`record of producer ${r.producer} on channel ${e.channel}`);
          if (r.seq !== received[gi]![e.channel]) throw new Error(`out of order: ${r.seq} != ${received[gi]![e.channel]}`);
          received[gi]![e.channel]!++;
        }
      }),
    );
    await Promise.all([...parts.map((p, i) => produce(p, i, perPair)), ...drains]);
    t.deepEqual(received, [
      [perPair, perPair],
      [perPair, perPair],
    ]);
    for (const g of gates) t.is(g.pollNext(), 'end');
    t.is(parts[0]!.error, undefined);
  });
});

test('data-exchange: a gate created after its producers connected receives everything', async (t) => {
  await withEnvironments(2, async ([consumer, producer]) => {
    const codec = createRecordCodec('json');
    const p = producer!.createResultPartition({
      consumers: [{ host: HOST, port: consumer!.port, taskKey: 'late', gateIndex: 1 }],
      producerIndex: 0,
      codec,
      ...PARTITION_DEFAULTS,
    });
    for (let i = 0; i < 1000; i++) p.emit(0, { i });
    const finished = p.finish();
    await sleep(200); // the producer is connected and held without credit
    const gate = consumer!.createInputGate({ taskKey: 'late', gateIndex: 1, numChannels: 1, creditsPerChannel: 2, codec });
    const seen: number[] = [];
    await Promise.all([finished, drain(gate, (e) => seen.push(...(e.records as { i: number }[]).map((r) => r.i)))]);
    t.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i));
  });
});

test('data-exchange: broadcast records are encoded once per buffer and reach every channel in order', async (t) => {
  await withEnvironments(1, async ([env]) => {
    const codec = countingCodec(createRecordCodec());
    const gates = [0, 1, 2].map((i) => env!.createInputGate({ taskKey: `b/${i}`, gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec }));
    const consumers = [0, 1, 2].map((i) => ({ host: HOST, port: env!.port, taskKey: `b/${i}`, gateIndex: 0 }));
    const p = env!.createResultPartition({ consumers, producerIndex: 0, codec, ...PARTITION_DEFAULTS });
    p.emit(1, 'before');
    p.broadcast('wm1');
    p.broadcast('wm2');
    p.emit(1, 'after');
    const finished = p.finish();
    const got = await Promise.all(gates.map(async (g) => {
      const out: unknown[] = [];
      await drain(g, (e) => out.push(...e.records));
      return out;
    }));
    await finished;
    t.deepEqual(got, [['wm1', 'wm2'], ['before', 'wm1', 'wm2', 'after'], ['wm1', 'wm2']]);
    t.is(codec.encodes, 3); // [before], [wm1, wm2] shared by all channels, [after]
  });
});

test('data-exchange: the buffer timeout flushes a lone record within about bufferTimeoutMs', async (t) => {
  await withEnvironments(1, async ([env]) => {
    const codec = createRecordCodec();
    const gate = env!.createInputGate({ taskKey: 't', gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec });
    const p = env!.createResultPartition({
      consumers: [{ host: HOST, port: env!.port, taskKey: 't', gateIndex: 0 }],
      producerIndex: 0,
      codec,
      ...PARTITION_DEFAULTS,
      bufferTimeoutMs: 80,
    });
    await sleep(100); // connected and credited
    const start = performance.now();
    p.emit(0, { lone: true });
    let e = gate.pollNext();
    while (e === undefined) {
      await gate.availability();
      e = gate.pollNext();
    }
    const elapsed = performance.now() - start;
    t.deepEqual(e, { channel: 0, records: [{ lone: true }], timestamps: undefined });
    t.true(elapsed >= 70 && elapsed < 600, `took ${elapsed} ms`); // wide upper bound: CI CPUs are shared
    p.close();
    gate.close();
  });
});

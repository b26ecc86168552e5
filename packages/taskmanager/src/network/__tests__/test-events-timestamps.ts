import test from 'ava';
import { decodeHandshake } from '../channel-handshake.js';
import { FRAME_HEADER_BYTES } from '../frame-codec.js';
import type { InputGate } from '../input-gate.js';
import { decodeNetworkEvent, encodeNetworkEventFrame, type NetworkEvent } from '../network-event.js';
import { createRecordCodec } from '../record-codec.js';
import type { ResultPartition } from '../result-partition.js';
import { bid, drain, HOST, sleep, until, withEnvironments, type BufferEvent } from './helpers.js';

const PARTITION_DEFAULTS = { bufferSizeBytes: 32768, bufferTimeoutMs: 100, maxQueuedBuffersPerChannel: 4 };

/** The next non-undefined poll result of `gate` (waiting for availability in between). */
async function next(gate: InputGate): Promise<NonNullable<ReturnType<InputGate['pollNext']>>> {
  for (;;) {
    const e = gate.pollNext();
    if (e !== undefined) return e;
    if (gate.error !== undefined) throw gate.error;
    await gate.availability();
  }
}

async function nextBuffer(gate: InputGate): Promise<BufferEvent> {
  const e = await next(gate);
  if (e === 'end' || 'event' in e) throw new Error(`expected a buffer, got ${JSON.stringify(e)}`);
  return e;
}

function sameTimestamp(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

test('timestamps: every record keeps its own timestamp through mixed and all-NaN buffers, and an all-NaN buffer is no larger than before', async (t) => {
  await withEnvironments(2, async ([consumer, producer]) => {
    const codec = createRecordCodec();
    const gate = consumer!.createInputGate({ taskKey: 'ts', gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec });
    const p = producer!.createResultPartition({
      consumers: [{ host: HOST, port: consumer!.port, taskKey: 'ts', gateIndex: 0 }],
      producerIndex: 0,
      codec,
      ...PARTITION_DEFAULTS,
      bufferTimeoutMs: 10_000,
    });
    const records = [0, 1, 2, 3, 4].map(bid);

    // Mixed: the first record has none, so the earlier slots must be NaN-filled on the first stamp.
    const mixed = [NaN, 1700000000001, NaN, -0, Number.NEGATIVE_INFINITY];
    records.forEach((r, i) => p.emit(0, r, mixed[i]));
    p.flush();
    await until(() => gate.bufferedBytes > 0);
    t.is(gate.bufferedBytes, codec.encode(records).length + 4 + 8 * records.length);
    let e = await nextBuffer(gate);
    t.deepEqual(e.records, records);
    t.true(e.timestamps instanceof Float64Array);
    t.is(e.timestamps!.length, records.length);
    for (let i = 0; i < mixed.length; i++) t.true(sameTimestamp(e.timestamps![i]!, mixed[i]!), `record ${i}: ${e.timestamps![i]}`);

    // All NaN (explicitly) and no timestamp at all: no block, exactly the codec's bytes as before.
    for (const r of records) p.emit(0, r, NaN);
    p.flush();
    await until(() => gate.bufferedBytes > 0);
    const allNaNBytes = gate.bufferedBytes;
    e = await nextBuffer(gate);
    t.is(e.timestamps, undefined);
    t.deepEqual(e.records, records);
    for (const r of records) p.emit(0, r);
    p.flush();
    await until(() => gate.bufferedBytes > 0);
    const untimestampedBytes = gate.bufferedBytes;
    e = await nextBuffer(gate);
    t.is(e.timestamps, undefined);
    t.true(allNaNBytes <= codec.encode(records).length, `all-NaN buffer ${allNaNBytes} bytes`);
    t.is(allNaNBytes, untimestampedBytes);

    // The reused per-batch array is reset between batches: a timestamped batch, then an untimed one.
    p.emit(0, 'x', 5);
    p.flush();
    p.emit(0, 'y');
    p.emit(0, 'z', NaN);
    p.flush();
    e = await nextBuffer(gate);
    t.deepEqual([...e.timestamps!], [5]);
    e = await nextBuffer(gate);
    t.deepEqual(e.records, ['y', 'z']);
    t.is(e.timestamps, undefined);

    // Broadcast records carry timestamps too.
    p.broadcast('b0');
    p.broadcast('b1', 42);
    p.flush();
    e = await nextBuffer(gate);
    t.deepEqual(e.records, ['b0', 'b1']);
    t.true(Number.isNaN(e.timestamps![0]!));
    t.is(e.timestamps![1], 42);

    // Big batches grow the array; every record of every buffer still has its own timestamp.
    const n = 20_000;
    for (let i = 0; i < n; i++) p.emit(0, { seq: i }, i % 3 === 0 ? NaN : 1e12 + i);
    const finished = p.finish();
    let seen = 0;
    await drain(gate, (b) => {
      for (let j = 0; j < b.records.length; j++) {
        const seq = (b.records[j] as { seq: number }).seq;
        if (seq !== seen) throw new Error(`record ${seq} where ${seen} was expected`);
        const expected = seq % 3 === 0 ? NaN : 1e12 + seq;
        if (!sameTimestamp(b.timestamps![j]!, expected)) throw new Error(`record ${seq} has timestamp ${b.timestamps![j]}`);
        seen++;
      }
    });
    await finished;
    t.is(seen, n);
  });
});

test('events: watermarks interleaved with records arrive in exact order per channel across 2 producers x 2 consumers', async (t) => {
  await withEnvironments(4, async ([c0, c1, p0, p1]) => {
    const codec = createRecordCodec();
    const consumers = [c0!, c1!].map((env, i) => ({ host: HOST, port: env.port, taskKey: `wm/sink/${i}`, gateIndex: 0 }));
    const gates = [c0!, c1!].map((env, i) =>
      env.createInputGate({ taskKey: `wm/sink/${i}`, gateIndex: 0, numChannels: 2, creditsPerChannel: 2, codec }),
    );
    const parts = [p0!, p1!].map((env, i) =>
      env.createResultPartition({ consumers, producerIndex: i, codec, ...PARTITION_DEFAULTS, maxQueuedBuffersPerChannel: 2 }),
    );
    const n = 20_000;
    // expected[producer][consumer]: the tokens that consumer must see on that producer's channel.
    const expected = parts.map(() => consumers.map((): string[] => []));
    async function produce(p: ResultPartition, producer: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        if (!p.isAvailable()) {
          await p.availability();
          if (p.error !== undefined) throw p.error;
        }
        for (let c = 0; c < 2; c++) {
          p.emit(c, { producer, seq: i }, 1000 + i);
          expected[producer]![c]!.push(`r${i}@${1000 + i}`);
        }
        if (i % 97 === 0) {
          p.broadcastEvent({ type: 'watermark', timestamp: 1000 + i });
          for (let c = 0; c < 2; c++) expected[producer]![c]!.push(`w${1000 + i}`);
        }
        if (i % 1001 === 0) {
          const c = (i / 1001) % 2;
          p.emitEvent(c, { type: 'watermark-status', idle: i % 2 === 0 });
          expected[producer]![c]!.push(`s${i % 2 === 0}`);
        }
      }
      await p.finish();
    }
    const got = gates.map(() => [[], []] as string[][]);
    const drains = gates.map((g, gi) =>
      drain(
        g,
        (e) => {
          for (let j = 0; j < e.records.length; j++) {
            const r = e.records[j] as { producer: number; seq: number };
            if (r.producer !== e.channel) throw new Error(`record of producer ${r.producer} on channel ${e.channel}`);
            got[gi]![e.channel]!.push(`r${r.seq}@${e.timestamps![j]}`);
          }
        },
        (e) => {
          const ev = e.event;
          got[gi]![e.channel]!.push(ev.type === 'watermark' ? `w${ev.timestamp}` : ev.type === 'watermark-status' ? `s${ev.idle}` : 'barrier');
        },
      ),
    );
    await Promise.all([...parts.map((p, i) => produce(p, i)), ...drains]);
    for (let c = 0; c < 2; c++) {
      for (let producer = 0; producer < 2; producer++) {
        const g = got[c]![producer]!;
        const x = expected[producer]![c]!;
        t.is(g.length, x.length, `consumer ${c} channel ${producer}`);
        const firstDiff = g.findIndex((tok, k) => tok !== x[k]);
        t.is(firstDiff, -1, `consumer ${c} channel ${producer} differs at ${firstDiff}: ${g[firstDiff]} != ${x[firstDiff]}`);
      }
    }
    t.true(got[0]![0]!.filter((tok) => tok.startsWith('w')).length > 200);
  });
});

test('events: an event behind a credit-blocked buffer is not delivered before that buffer, and an event needs no credit', async (t) => {
  await withEnvironments(2, async ([consumer, producer]) => {
    const codec = createRecordCodec();
    const gate = consumer!.createInputGate({ taskKey: 'blk', gateIndex: 0, numChannels: 1, creditsPerChannel: 1, codec });
    const p = producer!.createResultPartition({
      consumers: [{ host: HOST, port: consumer!.port, taskKey: 'blk', gateIndex: 0 }],
      producerIndex: 0,
      codec,
      ...PARTITION_DEFAULTS,
      bufferTimeoutMs: 10_000,
      maxQueuedBuffersPerChannel: 1,
    });
    p.emit(0, 'a');
    p.flush(); // takes the only credit
    await until(() => gate.bufferedBytes > 0);
    p.emit(0, 'b');
    p.emit(0, 'c', 7);
    p.emitEvent(0, { type: 'watermark', timestamp: 7 }); // flushes [b, c] (blocked), then waits behind it
    t.false(p.isAvailable());
    await sleep(150);
    t.true(p.queuedBytes > 0, 'the buffer and the event wait for credit');
    const first = await nextBuffer(gate);
    t.deepEqual(first.records, ['a']);
    t.is(gate.pollNext(), undefined, 'the event did not overtake the blocked buffer');

    const second = await nextBuffer(gate); // credit returned by polling 'a' releases [b, c]
    t.deepEqual(second.records, ['b', 'c']);
    t.true(Number.isNaN(second.timestamps![0]!));
    t.is(second.timestamps![1], 7);
    t.deepEqual(await next(gate), { channel: 0, event: { type: 'watermark', timestamp: 7 } });

    // The producer's only credit is now held by an unpolled buffer: an event still goes out.
    await until(() => p.queuedBytes === 0);
    p.emit(0, 'd');
    p.flush();
    await until(() => gate.bufferedBytes > 0); // 'd' arrived: it used the only credit, none is left
    p.broadcastEvent({ type: 'barrier', checkpointId: 3, timestamp: 9 });
    await until(() => p.queuedBytes === 0); // written without credit
    t.deepEqual((await nextBuffer(gate)).records, ['d']);
    t.deepEqual(await next(gate), { channel: 0, event: { type: 'barrier', checkpointId: 3, timestamp: 9 } });
    await Promise.all([p.finish(), drain(gate, () => t.fail('no more records'))]);
  });
});

test('events: broadcastEvent flushes every pending batch first, so no record is overtaken', async (t) => {
  await withEnvironments(1, async ([env]) => {
    const codec = createRecordCodec('json');
    const gates = [0, 1, 2].map((i) => env!.createInputGate({ taskKey: `f/${i}`, gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec }));
    const consumers = [0, 1, 2].map((i) => ({ host: HOST, port: env!.port, taskKey: `f/${i}`, gateIndex: 0 }));
    const p = env!.createResultPartition({ consumers, producerIndex: 0, codec, ...PARTITION_DEFAULTS, bufferTimeoutMs: 60_000 });
    p.emit(0, 'x0', 1);
    p.emit(2, 'x2');
    p.broadcastEvent({ type: 'barrier', checkpointId: 1, timestamp: 100 });
    p.broadcast('all', 2);
    p.broadcastEvent({ type: 'watermark', timestamp: 2 });
    p.emit(1, 'y1');
    p.emitEvent(1, { type: 'watermark-status', idle: true });
    p.emit(1, 'z1');
    const start = performance.now();
    // Everything before the last event is delivered long before the 60 s buffer timeout.
    const got = await Promise.all(
      gates.map(async (g, i) => {
        const out: unknown[] = [];
        const wanted = i === 1 ? 5 : 4;
        while (out.length < wanted) {
          const e = await next(g);
          if (e === 'end') break;
          if ('event' in e) out.push(e.event);
          else out.push(...e.records);
        }
        return out;
      }),
    );
    t.true(performance.now() - start < 5000);
    const barrier = { type: 'barrier', checkpointId: 1, timestamp: 100 };
    const wm = { type: 'watermark', timestamp: 2 };
    t.deepEqual(got, [
      ['x0', barrier, 'all', wm],
      [barrier, 'all', wm, 'y1', { type: 'watermark-status', idle: true }],
      ['x2', barrier, 'all', wm],
    ]);
    const rest: unknown[] = [];
    await Promise.all([
      p.finish(),
      drain(gates[1]!, (e) => rest.push(...e.records), (e) => rest.push(e.event)),
      drain(gates[0]!, () => t.fail()),
      drain(gates[2]!, () => t.fail()),
    ]);
    t.deepEqual(rest, ['z1']);
    t.throws(() => p.broadcastEvent({ type: 'watermark', timestamp: 3 }), { name: 'IllegalStateError' });
  });
});

test('events: barriers, watermarks and watermark status round-trip their fields', async (t) => {
  const events: NetworkEvent[] = [
    { type: 'barrier', checkpointId: 0, timestamp: 0 },
    { type: 'barrier', checkpointId: 4294967297, timestamp: 1700000000123 },
    { type: 'barrier', checkpointId: Number.MAX_SAFE_INTEGER, timestamp: -1.5 },
    { type: 'watermark', timestamp: Number.NEGATIVE_INFINITY },
    { type: 'watermark', timestamp: Number.POSITIVE_INFINITY },
    { type: 'watermark', timestamp: 1700000000000.25 },
    { type: 'watermark-status', idle: true },
    { type: 'watermark-status', idle: false },
  ];
  // Frame sizes: header + kind + fixed fields.
  t.is(encodeNetworkEventFrame(events[0]!).length, FRAME_HEADER_BYTES + 17);
  t.is(encodeNetworkEventFrame(events[3]!).length, FRAME_HEADER_BYTES + 9);
  t.is(encodeNetworkEventFrame(events[6]!).length, FRAME_HEADER_BYTES + 2);
  for (const e of events) t.deepEqual(decodeNetworkEvent(encodeNetworkEventFrame(e).subarray(FRAME_HEADER_BYTES)), e);
  for (const bad of [
    { type: 'watermark', timestamp: NaN },
    { type: 'barrier', checkpointId: -1, timestamp: 0 },
    { type: 'barrier', checkpointId: 1.5, timestamp: 0 },
    { type: 'barrier', checkpointId: 2 ** 53, timestamp: 0 },
    { type: 'watermark-status', idle: 1 },
    { type: 'nope' },
  ]) {
    t.throws(() => encodeNetworkEventFrame(bad as NetworkEvent), { name: 'ValidationError' }, JSON.stringify(bad));
  }
  for (const bad of [[], [9], [2, 0, 0], [3, 2], [1, 0]]) {
    t.throws(() => decodeNetworkEvent(Buffer.from(bad)), { name: 'FrameFormatError' }, JSON.stringify(bad));
  }
  // Frame format version 2 added these events; consumers still accept version 1 handshakes.
  t.deepEqual(decodeHandshake(Buffer.from([0x0a, 0x01, 0x6b, 0x20, 0x01])), { taskKey: 'k', gateIndex: 0, channelIndex: 0 });
  t.throws(() => decodeHandshake(Buffer.from([0x0a, 0x01, 0x6b, 0x20, 0x03])), { name: 'FrameFormatError' });

  await withEnvironments(2, async ([consumer, producer]) => {
    const codec = createRecordCodec();
    const gate = consumer!.createInputGate({ taskKey: 'ev', gateIndex: 0, numChannels: 1, creditsPerChannel: 2, codec });
    const p = producer!.createResultPartition({
      consumers: [{ host: HOST, port: consumer!.port, taskKey: 'ev', gateIndex: 0 }],
      producerIndex: 0,
      codec,
      ...PARTITION_DEFAULTS,
    });
    t.throws(() => p.emitEvent(1, events[0]!), { name: 'ValidationError' });
    for (const e of events) p.emitEvent(0, e);
    const got: NetworkEvent[] = [];
    await Promise.all([p.finish(), drain(gate, () => t.fail('no records'), (e) => got.push(e.event))]);
    t.deepEqual(got, events);
    t.is(gate.error, undefined);
  });
});

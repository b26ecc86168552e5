import test from 'ava';
import { createRecordCodec } from '../record-codec.js';
import { HOST, sleep, until, withEnvironments } from './helpers.js';

const PARTITION = { bufferSizeBytes: 1024, bufferTimeoutMs: 5, maxQueuedBuffersPerChannel: 4 };

test('channel blocking: a blocked channel is held back with its credit while others flow, then delivered first and in order', async (t) => {
  await withEnvironments(3, async ([consumer, p0, p1]) => {
    const codec = createRecordCodec();
    const gate = consumer!.createInputGate({ taskKey: 'job/x/0', gateIndex: 0, numChannels: 2, creditsPerChannel: 2, codec });
    const address = [{ host: HOST, port: consumer!.port, taskKey: 'job/x/0', gateIndex: 0 }];
    const parts = [p0!, p1!].map((env, i) => env.createResultPartition({ consumers: address, producerIndex: i, codec, ...PARTITION }));
    gate.blockChannel(0);
    // Far more than the two credits of a channel: the blocked producer must stop.
    for (let i = 0; i < 2000; i++) parts[0]!.emit(0, { seq: i, pad: 'a'.repeat(40) });
    for (let i = 0; i < 50; i++) parts[1]!.emit(0, { seq: i });
    for (const p of parts) p.flush();
    const fromOne: number[] = [];
    await until(() => {
      for (let e = gate.pollNext(); e !== undefined && e !== 'end'; e = gate.pollNext()) {
        if (!('records' in e)) continue;
        t.is(e.channel, 1, 'nothing of the blocked channel is polled');
        for (const r of e.records as { seq: number }[]) fromOne.push(r.seq);
      }
      return fromOne.length === 50;
    });
    await sleep(100);
    t.is(gate.pollNext(), undefined);
    t.true(gate.heldBytes > 0 && gate.heldBytes <= 2 * 2048, `held ${gate.heldBytes} bytes: two credits' worth of buffers, not the 2000 records`);
    t.true(parts[0]!.queuedBytes > 0, 'the blocked producer keeps the rest queued');
    gate.unblockAllChannels();
    const fromZero: number[] = [];
    await until(() => {
      for (let e = gate.pollNext(); e !== undefined && e !== 'end'; e = gate.pollNext()) {
        if ('records' in e) for (const r of e.records as { seq: number }[]) fromZero.push(r.seq);
      }
      return fromZero.length === 2000;
    }, 10_000);
    t.deepEqual(fromZero, Array.from({ length: 2000 }, (_, i) => i));
  });
});

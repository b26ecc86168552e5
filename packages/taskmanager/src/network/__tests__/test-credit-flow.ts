import test from 'ava';
import { createRecordCodec } from '../record-codec.js';
import { bid, countingCodec, drain, HOST, sleep, until, withEnvironments } from './helpers.js';

test('credit-flow: a consumer that does not poll stops the producer within credits + maxQueued buffers and bounds memory, then it resumes', async (t) => {
  await withEnvironments(2, async ([consumer, producer]) => {
    const credits = 4;
    const maxQueued = 4;
    const bufferSize = 4096;
    const codec = countingCodec(createRecordCodec());
    const gate = consumer!.createInputGate({ taskKey: 'slow', gateIndex: 0, numChannels: 1, creditsPerChannel: credits, codec });
    const p = producer!.createResultPartition({
      consumers: [{ host: HOST, port: consumer!.port, taskKey: 'slow', gateIndex: 0 }],
      producerIndex: 0,
      codec,
      bufferSizeBytes: bufferSize,
      bufferTimeoutMs: 10_000,
      maxQueuedBuffersPerChannel: maxQueued,
    });
    p.emit(0, bid(0));
    p.flush(); // one buffer calibrates the batch size
    await until(() => gate.bufferedBytes > 0);
    let emitted = 1;
    while (p.isAvailable() && codec.encodes < 100) {
      for (let i = 0; i < 10; i++) p.emit(0, bid(emitted++));
      await sleep(1); // let credit and socket I/O run
    }
    t.false(p.isAvailable());
    t.true(codec.encodes <= credits + maxQueued, `${codec.encodes} buffers before unavailable`);
    await sleep(100);
    t.false(p.isAvailable(), 'stays unavailable while nobody polls');
    const maxRecordBytes = codec.encode([bid(99_999)]).length;
    codec.encodes--;
    const bound = 1 * (maxQueued + 1 + credits) * (bufferSize + maxRecordBytes); // N * (Q + 1 + C) * (B + R)
    const held = p.queuedBytes + gate.bufferedBytes;
    t.true(held <= bound, `held ${held} > bound ${bound}`);
    t.is(gate.bufferedBytes > 0, true);

    const available = p.availability();
    let polled = 0;
    const seen: number[] = [];
    const consuming = drain(gate, (e) => {
      polled++;
      seen.push(...(e.records as { seq: number }[]).map((r) => r.seq));
    });
    await available;
    t.true(p.isAvailable());
    await p.finish();
    await consuming;
    t.true(polled >= codec.encodes - 1);
    t.deepEqual(seen, Array.from({ length: emitted }, (_, i) => i));
  });
});

import test from 'ava';
import { createRecordCodec } from '../record-codec.js';
import type { NetworkEnvironment } from '../network-environment.js';
import { drain, HOST, withEnvironments } from './helpers.js';

/** A one-channel edge from `producer` to `consumer` whose frames may hold at most 4 KiB. */
function smallFrameEdge(consumer: NetworkEnvironment, producer: NetworkEnvironment) {
  const codec = createRecordCodec();
  const gate = consumer.createInputGate({ taskKey: 'job/sink/0', gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec });
  const partition = producer.createResultPartition({
    consumers: [{ host: HOST, port: consumer.port, taskKey: 'job/sink/0', gateIndex: 0 }],
    producerIndex: 0,
    codec,
    bufferSizeBytes: 1 << 20,
    bufferTimeoutMs: 100,
    maxQueuedBuffersPerChannel: 4,
    maxFrameBytes: 4096,
  });
  return { gate, partition };
}

test('frame limit: a batch too large for one frame is split until every frame fits, and all records arrive in order', async (t) => {
  await withEnvironments(2, async ([consumer, producer]) => {
    // far below one batch of 40 records of 1 KB: each frame holds a few
    const { gate, partition } = smallFrameEdge(consumer!, producer!);
    const seen: number[] = [];
    const done = drain(gate, (e) => {
      t.true(e.records.length < 40, 'the batch was split');
      for (const r of e.records as { seq: number }[]) seen.push(r.seq);
    });
    for (let i = 0; i < 40; i++) partition.emit(0, { seq: i, pad: 'p'.repeat(1000) }, i);
    await partition.finish();
    await done;
    t.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i));
    t.is(partition.error, undefined);
  });
});

test('frame limit: one record above the limit fails the partition with the sizes, and nothing is sent', async (t) => {
  await withEnvironments(2, async ([consumer, producer]) => {
    const { partition } = smallFrameEdge(consumer!, producer!);
    const errors: Error[] = [];
    partition.onError((e) => errors.push(e));
    partition.emit(0, { pad: 'p'.repeat(5000) });
    partition.flush();
    t.is(errors.length, 1);
    t.is(errors[0]!.name, 'RecordTooLargeError');
    t.regex(errors[0]!.message, /a record encodes to 5,0\d\d bytes, above the network frame limit of 4,096 bytes/);
    t.is(partition.queuedBytes, 0);
  });
});

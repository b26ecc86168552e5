import test from 'ava';
import { connect, type Socket } from 'node:net';
import { encodeHandshakeFrame } from '../channel-handshake.js';
import { encodeFrame, FrameType } from '../frame-codec.js';
import { createRecordCodec } from '../record-codec.js';
import { drain, HOST, sleep, until, withEnvironments } from './helpers.js';

function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port }, () => resolve(s));
    s.on('error', reject);
  });
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

test('failures: garbage, oversized frames and unknown handshakes close that connection and the server keeps serving', async (t) => {
  await withEnvironments(1, async ([env]) => {
    const garbage = await rawConnect(env!.port);
    garbage.on('error', () => {});
    garbage.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const oversized = await rawConnect(env!.port);
    oversized.on('error', () => {});
    oversized.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    const badHandshake = await rawConnect(env!.port);
    badHandshake.on('error', () => {});
    badHandshake.write(encodeFrame(FrameType.HANDSHAKE, Buffer.from([0xff, 0xfe, 0x01])));
    const dataFirst = await rawConnect(env!.port);
    dataFirst.on('error', () => {});
    dataFirst.write(encodeFrame(FrameType.DATA, Buffer.from('x')));
    await Promise.all([closed(garbage), closed(oversized), closed(badHandshake), closed(dataFirst)]);

    const codec = createRecordCodec();
    const gate = env!.createInputGate({ taskKey: 'ok', gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec });
    const outOfRange = await rawConnect(env!.port);
    outOfRange.on('error', () => {});
    outOfRange.write(encodeHandshakeFrame({ taskKey: 'ok', gateIndex: 0, channelIndex: 7 }));
    await closed(outOfRange);
    t.is(gate.error, undefined);

    const p = env!.createResultPartition({
      consumers: [{ host: HOST, port: env!.port, taskKey: 'ok', gateIndex: 0 }],
      producerIndex: 0,
      codec,
      bufferSizeBytes: 32768,
      bufferTimeoutMs: 100,
      maxQueuedBuffersPerChannel: 4,
    });
    p.emit(0, 'still serving');
    const got: unknown[] = [];
    await Promise.all([p.finish(), drain(gate, (e) => got.push(...e.records))]);
    t.deepEqual(got, ['still serving']);
  });
});

test('failures: a producer whose socket is destroyed mid-stream makes the gate report an error naming the channel', async (t) => {
  await withEnvironments(1, async ([env]) => {
    const codec = createRecordCodec();
    const gate = env!.createInputGate({ taskKey: 'victim', gateIndex: 3, numChannels: 2, creditsPerChannel: 4, codec });
    const errors: Error[] = [];
    gate.onError((e) => errors.push(e));
    const producer = await rawConnect(env!.port);
    producer.on('error', () => {});
    let credit = 0;
    producer.on('data', (b: Buffer) => (credit += b.length));
    producer.write(encodeHandshakeFrame({ taskKey: 'victim', gateIndex: 3, channelIndex: 1 }));
    await until(() => credit > 0);
    const payload = codec.encode([{ n: 1 }]);
    producer.write(Buffer.concat([encodeFrame(FrameType.DATA, payload), Buffer.from([0, 0, 1])])); // and half a frame
    await sleep(50);
    producer.destroy();
    await gate.availability();
    await until(() => gate.error !== undefined);
    t.is(gate.error!.name, 'DataChannelError');
    t.regex(gate.error!.message, /input channel 1 of victim gate 3/);
    t.is((gate.error as unknown as { channel: number }).channel, 1);
    t.is(errors.length, 1);
    t.deepEqual(gate.pollNext(), { channel: 1, records: [{ n: 1 }], timestamps: undefined });
    t.is(gate.pollNext(), undefined);
    gate.close();
  });
});

test('failures: a consumer that refuses connections becomes a partition error after about 5 s of retries', async (t) => {
  await withEnvironments(1, async ([env]) => {
    const unused = await rawPortNobodyListensOn();
    const p = env!.createResultPartition({
      consumers: [{ host: HOST, port: unused, taskKey: 'gone', gateIndex: 0 }],
      producerIndex: 0,
      codec: createRecordCodec(),
      bufferSizeBytes: 32768,
      bufferTimeoutMs: 100,
      maxQueuedBuffersPerChannel: 4,
    });
    const start = Date.now();
    const error = await new Promise<Error>((resolve) => p.onError(resolve));
    const elapsed = Date.now() - start;
    t.is(error.name, 'DataChannelError');
    t.true(elapsed >= 4000 && elapsed < 8000, `after ${elapsed} ms`);
    await t.throwsAsync(p.finish());
    p.close();
  });
});

async function rawPortNobodyListensOn(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, HOST, () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

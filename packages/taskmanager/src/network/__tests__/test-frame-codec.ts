import test from 'ava';
import { encodeCreditFrame, encodeEventFrame, encodeFrame, FrameDecoder, FrameType } from '../frame-codec.js';
import { decodeHandshake, encodeHandshakeFrame } from '../channel-handshake.js';

function sampleStream(): { bytes: Buffer; frames: [number, string][] } {
  const parts = [
    encodeHandshakeFrame({ taskKey: 'job/v/1', gateIndex: 2, channelIndex: 3 }),
    encodeFrame(FrameType.DATA, Buffer.from('hello')),
    encodeFrame(FrameType.DATA, Buffer.alloc(0)),
    encodeCreditFrame(7),
    encodeFrame(FrameType.DATA, Buffer.alloc(300, 0xab)),
    encodeEventFrame(1),
  ];
  const frames = parts.map((p): [number, string] => [p[4]!, p.subarray(5).toString('hex')]);
  return { bytes: Buffer.concat(parts), frames };
}

function decodeAll(chunks: Buffer[]): [number, string][] {
  const out: [number, string][] = [];
  const d = new FrameDecoder((type, payload) => out.push([type, payload.toString('hex')]));
  for (const c of chunks) d.push(c);
  return out;
}

test('frame-codec: decodes a stream split at every byte boundary into the same frames', (t) => {
  const { bytes, frames } = sampleStream();
  for (let i = 0; i <= bytes.length; i++) {
    t.deepEqual(decodeAll([bytes.subarray(0, i), bytes.subarray(i)]), frames, `split at ${i}`);
  }
  for (let i = 1; i < bytes.length; i++) {
    for (let j = i; j <= bytes.length; j += 7) {
      t.deepEqual(decodeAll([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]), frames);
    }
  }
});

test('frame-codec: decodes a stream delivered one byte at a time', (t) => {
  const { bytes, frames } = sampleStream();
  const chunks = Array.from(bytes, (b) => Buffer.from([b]));
  t.deepEqual(decodeAll(chunks), frames);
});

test('frame-codec: frames inside one chunk are handed out without copying', (t) => {
  const chunk = Buffer.concat([encodeFrame(FrameType.DATA, Buffer.from('abc')), encodeFrame(FrameType.DATA, Buffer.from('de'))]);
  const payloads: Buffer[] = [];
  new FrameDecoder((_t, p) => payloads.push(p)).push(chunk);
  t.is(payloads.length, 2);
  for (const p of payloads) t.is(p.buffer, chunk.buffer);
});

test('frame-codec: rejects an oversized or zero length before allocating', (t) => {
  const big = Buffer.from([0x7f, 0xff, 0xff, 0xff, 2]);
  t.throws(() => new FrameDecoder(() => {}, 1024).push(big), { name: 'FrameFormatError' });
  t.throws(() => new FrameDecoder(() => {}).push(Buffer.from([0, 0, 0, 0, 0])), { name: 'FrameFormatError' });
});

test('frame-codec: a handshake round-trips and a bad version is refused', (t) => {
  const frame = encodeHandshakeFrame({ taskKey: 'k', gateIndex: 1, channelIndex: 5 });
  t.deepEqual(decodeHandshake(frame.subarray(5)), { taskKey: 'k', gateIndex: 1, channelIndex: 5 });
  t.throws(() => decodeHandshake(Buffer.from([0x20, 9])), { name: 'FrameFormatError' });
  t.throws(() => decodeHandshake(Buffer.from([0xff, 0xff, 0xff])), { name: 'FrameFormatError' });
});

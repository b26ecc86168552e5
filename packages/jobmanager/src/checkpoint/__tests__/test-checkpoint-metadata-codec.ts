import test from 'ava';
import { decodeMetadata, encodeMetadata } from '../checkpoint-metadata-codec.js';
import { completedCheckpoint } from './helpers/checkpoint-fixtures.js';

const files = [
  { name: 'chk-4/agg-0/keyed-agg.v1', sizeBytes: 120, sha256: 'a'.repeat(64) },
  { name: 'shared/agg-0/000007.ldb', sizeBytes: 4096 },
];
const expected = { jobId: 'job1', checkpointId: 4 };

/** Re-encodes `cp` after `edit` changed its JSON, with a valid checksum, so only the field checks can refuse it. */
function reencoded(edit: (body: Record<string, unknown>) => void): Uint8Array {
  const body = JSON.parse(JSON.stringify(completedCheckpoint('job1', 4, files))) as Record<string, unknown>;
  edit(body);
  return encodeMetadata(body as never);
}

test('checkpoint-metadata-codec: a checkpoint survives encoding and decoding, with awkward JSON state intact', (t) => {
  const cp = { ...completedCheckpoint('job1', 4, files, { '10': 'ten', b: 'bé ✓ \u2028', '2': [1.5, -0, 1e21, null] }), enumerators: [{ operatorId: '__proto__', state: JSON.parse('{"__proto__":{"polluted":true}}') }] };
  const bytes = encodeMetadata(cp);
  const text = new TextDecoder().decode(bytes);
  t.true(text.startsWith('{"format":"eddy-checkpoint-metadata","version":1,"sha256":"'));
  t.true(text.endsWith('}\n'));
  const back = decodeMetadata(bytes, expected, '/x/_metadata');
  t.deepEqual(JSON.stringify(back), JSON.stringify(JSON.parse(JSON.stringify(cp))));
  const state = back.enumerators[0]!.state as Record<string, unknown>;
  t.is(Object.getPrototypeOf(state), Object.prototype, 'a __proto__ key stays a plain own property');
  t.deepEqual(Object.getOwnPropertyDescriptor(state, '__proto__')?.value, { polluted: true });
  t.is(({} as { polluted?: boolean }).polluted, undefined);
});

test('checkpoint-metadata-codec: refuses truncated, bit-flipped and foreign files naming the file', (t) => {
  const bytes = encodeMetadata(completedCheckpoint('job1', 4, files));
  const truncated = bytes.slice(0, bytes.length - 10);
  t.throws(() => decodeMetadata(truncated, expected, '/x/_metadata'), { name: 'CorruptCheckpointError', message: /not valid JSON.*\/x\/_metadata/ });
  const flipped = new TextEncoder().encode(new TextDecoder().decode(bytes).replace('"sizeBytes":4096', '"sizeBytes":4097'));
  t.throws(() => decodeMetadata(flipped, expected, 'u'), { message: /does not match its checksum/ });
  t.throws(() => decodeMetadata(new TextEncoder().encode('{"hello":1}'), expected, 'u'), { message: /not an Eddy checkpoint metadata file/ });
  const v2 = new TextEncoder().encode(new TextDecoder().decode(bytes).replace('"version":1', '"version":2'));
  t.throws(() => decodeMetadata(v2, expected, 'u'), { message: /version 2; this JobManager reads version 1/ });
  t.throws(() => decodeMetadata(bytes, { jobId: 'job2', checkpointId: 4 }, 'u'), { message: /jobId/ });
  t.throws(() => decodeMetadata(bytes, { jobId: 'job1', checkpointId: 5 }, 'u'), { message: /checkpointId/ });
});

test('checkpoint-metadata-codec: refuses file names outside the checkpoint or the shared directory', (t) => {
  for (const name of ['../../etc/passwd', 'chk-3/agg-0/x', '/abs', 'shared/../x']) {
    const bytes = reencoded((b) => ((b.files as { name: string }[])[1]!.name = name));
    t.throws(() => decodeMetadata(bytes, expected, 'u'), { name: 'CorruptCheckpointError', message: /checkpoint\.files\[1\]\.name/ }, name);
  }
});

test('checkpoint-metadata-codec: refuses a keyed file missing from the file list, and bad numbers', (t) => {
  t.throws(() => decodeMetadata(reencoded((b) => (b.files = [])), expected, 'u'), { message: /does not list 'chk-4\/agg-0\/keyed-agg.v1'/ });
  t.throws(() => decodeMetadata(reencoded((b) => ((b.sizes as { fullBytes: number }).fullBytes = -1)), expected, 'u'), { message: /fullBytes/ });
  t.throws(() => decodeMetadata(reencoded((b) => (b.mode = 'sometimes')), expected, 'u'), { message: /mode/ });
});

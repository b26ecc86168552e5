import test from 'ava';
import { fromRestoreJson, toAcknowledgement, type TaskCheckpointSnapshot } from '../checkpoint-wire-format.js';

const root = '/data/checkpoints/job1';
const snapshot: TaskCheckpointSnapshot = {
  version: 1,
  keyed: [
    {
      kind: 'leveldb-files',
      checkpointId: 4,
      maxParallelism: 128,
      keyGroupRange: { start: 0, end: 63 },
      files: [
        { name: '000012.ldb', path: `${root}/shared/agg-0/000012.ldb`, bytes: 4096, crc32: 7, scope: 'shared', sharedWithPrevious: true },
        { name: 'MANIFEST-000003', path: `${root}/chk-4/agg-0/MANIFEST-000003`, bytes: 120, crc32: 9, scope: 'exclusive', sharedWithPrevious: false },
      ],
      bytesWritten: 120,
      previousCheckpointId: 3,
    },
  ],
  timers: { kind: 'timers', checkpointId: 4, maxParallelism: 128, keyGroupRange: { start: 0, end: 63 }, file: `${root}/chk-4/agg-0/timers-0-63.v1`, bytes: 64 },
  operators: {
    src: { sourceSplits: [{ index: 0, of: 2, next: 1234 }] },
    sink: { sink: { committables: [{ file: '.part-0-3.pending' }], writerState: [{ seq: 4 }] } },
  },
};

test('checkpoint wire format: an acknowledgement names files relative to the checkpoint directory and restores to the same snapshot', (t) => {
  const ack = toAcknowledgement(snapshot, { checkpointDir: root, operatorIds: ['src', 'agg', 'sink'], keyedOperatorId: 'agg', metrics: { alignmentMs: 3, syncMs: 1, asyncMs: 20 } });
  t.deepEqual(ack.operators.map((o) => o.operatorId), ['src', 'agg', 'sink']);
  const agg = ack.operators[1]!;
  t.deepEqual(agg.keyed, {
    keyGroups: { start: 0, end: 63 },
    files: [
      { name: 'shared/agg-0/000012.ldb', sizeBytes: 4096 },
      { name: 'chk-4/agg-0/MANIFEST-000003', sizeBytes: 120 },
      { name: 'chk-4/agg-0/timers-0-63.v1', sizeBytes: 64 },
    ],
  });
  t.deepEqual(ack.operators[2]!.committables, [{ file: '.part-0-3.pending' }]);
  t.like(ack, { alignmentMs: 3, syncDurationMs: 1, asyncDurationMs: 20 });
  // The JobManager records exactly these entries and hands them back in restore_json.
  const restoreJson = JSON.stringify({ checkpointId: 4, operators: JSON.parse(JSON.stringify(ack.operators)) });
  t.deepEqual(fromRestoreJson(restoreJson, root), { checkpointId: 4, state: snapshot });
});

test('checkpoint wire format: a restore naming a file outside the checkpoint directory is refused, and an empty one is a first start', (t) => {
  t.is(fromRestoreJson('', root), undefined);
  const evil = (file: string) =>
    JSON.stringify({ checkpointId: 1, operators: [{ operatorId: 'agg', operator: { keyedHandles: [{ kind: 'key-groups', checkpointId: 1, maxParallelism: 128, keyGroupRange: { start: 0, end: 1 }, file, bytes: 1 }] } }] });
  t.throws(() => fromRestoreJson(evil('../other-job/chk-1/keyed-0-1.v1'), root), { message: /is not a plain relative name/ });
  t.throws(() => fromRestoreJson(evil('/etc/passwd'), root), { message: /is not a plain relative name/ });
  t.throws(() => fromRestoreJson('{"operators":[]}', root), { message: /needs a checkpointId >= 1/ });
  t.throws(() => toAcknowledgement({ ...snapshot, timers: { ...snapshot.timers!, file: '/tmp/elsewhere.v1' } }, { checkpointDir: root, operatorIds: ['agg'], keyedOperatorId: 'agg', metrics: { alignmentMs: 0, syncMs: 0, asyncMs: 0 } }), {
    message: /is not inside the checkpoint directory/,
  });
});

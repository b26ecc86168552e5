import test from 'ava';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointFailedError } from '../../errors.js';
import { decodeMetadata } from '../checkpoint-metadata-codec.js';
import { TASKS, ackAll, aggAck, eventually, harness, sourceAck, triggered, writeFiles } from './helpers/coordinator-harness.js';
import { writeCheckpoint } from './helpers/checkpoint-fixtures.js';
import { tempDir } from './helpers/temp-dir.js';

test('checkpoint-coordinator: completes a checkpoint once every task acknowledged, writing _metadata before notifying the tasks', async (t) => {
  const h = await harness(t, { mode: 'at-least-once' });
  h.coordinator.start();
  const done = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  t.deepEqual(
    h.gateway.of('trigger').map((c) => [c.attemptId, c.checkpointId, c.timestamp]),
    [['a-src-0', 1, 10_000], ['a-src-1', 1, 10_000]],
    'only sources are triggered',
  );
  t.deepEqual(h.gateway.of('trigger')[0]!.options, { mode: 'at-least-once', location: { root: h.storage.location(1).root, checkpointPrefix: 'chk-1', sharedPrefix: 'shared' } });
  const files = await writeFiles(h.storage, { 'chk-1/agg-0/keyed-agg.v1': 'k'.repeat(40), 'shared/agg-0/000003.ldb': 's'.repeat(100) });
  const metadataSeen: boolean[] = [];
  h.gateway.onComplete = async (id) => void metadataSeen.push((await h.storage.readMetadata(id)) !== undefined);
  h.time.advance(250);
  t.deepEqual(ackAll(h, 1, files, [{ file: 'part-0-1' }]).slice(0, 2), ['accepted', 'accepted']);
  t.deepEqual(h.gateway.of('complete'), [], 'no task hears of completion before _metadata is written');
  const cp = await done;
  t.is(cp.checkpointId, 1);

  const onDisk = decodeMetadata((await h.storage.readMetadata(1))!, { jobId: 'job1', checkpointId: 1 }, 'x');
  t.deepEqual(onDisk, cp);
  t.is(cp.mode, 'at-least-once');
  t.is(cp.triggerTime, 10_000);
  t.is(cp.completionTime, 10_250);
  t.deepEqual(cp.enumerators, [{ operatorId: 'src', state: { unassigned: ['split-9'] } }]);
  t.deepEqual(
    cp.operators.map((o) => [o.operatorId, o.vertexId, o.parallelism, o.subtasks.map((s) => s.subtask)]),
    [['agg', 'agg', 1, [0]], ['sink', 'agg', 1, [0]], ['src', 'src', 2, [0, 1]]],
  );
  t.deepEqual(cp.operators[2]!.subtasks[1]!.operator, { split: 'split-1', offset: 101 });
  t.deepEqual(cp.operators[1]!.subtasks[0]!.committables, [{ file: 'part-0-1' }]);
  t.deepEqual(cp.files.map((f) => f.name), ['chk-1/agg-0/keyed-agg.v1', 'shared/agg-0/000003.ldb']);
  t.is(cp.alignmentMs, 12);
  t.is(cp.sizes.fullBytes, cp.sizes.incrementalBytes);
  t.true(cp.sizes.fullBytes > 140);
  await eventually(() => h.gateway.of('complete').length === 3, 'completion notices');
  t.deepEqual(h.gateway.of('complete').map((c) => c.attemptId).sort(), ['a-agg-0', 'a-src-0', 'a-src-1']);
  await eventually(() => metadataSeen.length === 3, 'storage looks');
  t.deepEqual(metadataSeen, [true, true, true]);
  t.deepEqual(h.store.retained.map((c) => c.checkpointId), [1]);
  const stats = h.coordinator.stats.snapshot();
  t.deepEqual(stats.counts, { completed: 1, failed: 0, inProgress: 0, restored: 0 });
  t.like(stats.latestCompleted, { checkpointId: 1, status: 'COMPLETED', durationMs: 250, alignmentMs: 12, acknowledgedTasks: 3, totalTasks: 3 });
});

test('checkpoint-coordinator: the incremental size counts only the files a checkpoint added', async (t) => {
  const h = await harness(t);
  h.coordinator.start();
  const first = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  const a = await writeFiles(h.storage, { 'shared/A': 'a'.repeat(100), 'chk-1/p': 'p'.repeat(10) });
  ackAll(h, 1, a);
  const one = await first;
  const second = h.coordinator.triggerCheckpoint();
  await triggered(h, 2);
  const b = await writeFiles(h.storage, { 'shared/B': 'b'.repeat(50), 'chk-2/p': 'p'.repeat(5) });
  ackAll(h, 2, [a[0]!, ...b]);
  const two = await second;
  const inline = one.sizes.fullBytes - 110;
  t.deepEqual(one.sizes, { fullBytes: 110 + inline, incrementalBytes: 110 + inline });
  t.deepEqual(two.sizes, { fullBytes: 155 + inline, incrementalBytes: 55 + inline });
});

test('checkpoint-coordinator: triggers periodically, never more than maxConcurrent at once, and pauses minPauseMs after the end of the previous one', async (t) => {
  const h = await harness(t, { intervalMs: 1000, minPauseMs: 500 });
  h.coordinator.start();
  h.time.advance(999);
  t.deepEqual(h.gateway.calls, []);
  h.time.advance(1); // 11 000
  await triggered(h, 1);
  h.time.advance(1000); // 12 000: checkpoint 1 still in progress
  h.time.advance(3000);
  t.deepEqual(h.coordinator.pendingCheckpointIds(), [1]);
  ackAll(h, 1, []);
  await eventually(() => h.coordinator.pendingCheckpointIds().length === 0, 'completion of 1');
  h.time.advance(499);
  t.is(h.gateway.of('trigger', 2).length, 0, 'not before the pause is over');
  h.time.advance(1); // 15 500
  await triggered(h, 2);
  t.is(h.gateway.of('trigger', 2)[0]!.timestamp, 15_500);
  ackAll(h, 2, []);
  await eventually(() => h.coordinator.pendingCheckpointIds().length === 0, 'completion of 2');
  h.time.advance(1000); // 16 500: the next tick, and the pause is over
  await triggered(h, 3);
  t.is(h.gateway.of('trigger', 3)[0]!.timestamp, 16_500);
});

test('checkpoint-coordinator: a checkpoint that times out is discarded with its files and the next one proceeds', async (t) => {
  const h = await harness(t, { timeoutMs: 5000 });
  h.coordinator.start();
  const first = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  const files = await writeFiles(h.storage, { 'chk-1/agg-0/k': 'k', 'shared/new-1': 'n' });
  t.is(h.coordinator.acknowledge('a-agg-0', 1, aggAck(files)), 'accepted');
  h.time.advance(5000);
  const err = await t.throwsAsync<CheckpointFailedError>(first);
  t.is(err?.reason, 'timeout');
  t.regex(err!.detail, /1 of 3 tasks acknowledged/);
  t.deepEqual(h.gateway.of('abort', 1).map((c) => c.attemptId).sort(), ['a-agg-0', 'a-src-0', 'a-src-1']);
  t.like(h.coordinator.stats.snapshot().latestFailed, { checkpointId: 1, status: 'FAILED', failureReason: 'timeout', durationMs: 5000 });
  t.is(h.store.refCount('shared/new-1'), 0);

  const second = h.coordinator.triggerCheckpoint();
  await triggered(h, 2);
  t.deepEqual(ackAll(h, 2, []), ['accepted', 'accepted', 'accepted']);
  t.is((await second).checkpointId, 2);
  await h.store.flush();
  t.deepEqual(await h.storage.listCheckpointIds(), [2]);
  t.deepEqual(await h.storage.list('shared'), [], 'the shared file only the failed checkpoint named is gone');
});

test('checkpoint-coordinator: a declined checkpoint fails, its files are deleted, and the next one completes', async (t) => {
  const h = await harness(t);
  h.coordinator.start();
  const first = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  await writeFiles(h.storage, { 'chk-1/src-0/x': 'x' });
  t.is(h.coordinator.decline('a-src-1', 1, 'state backend closed'), 'accepted');
  t.like(await t.throwsAsync<CheckpointFailedError>(first), { reason: 'declined', detail: 'job1/src/1 declined: state backend closed' });
  const second = h.coordinator.triggerCheckpoint();
  await triggered(h, 2);
  ackAll(h, 2, []);
  t.is((await second).checkpointId, 2);
  await eventually(() => h.gateway.of('complete', 2).length === 3, 'notices');
  await h.store.flush();
  t.deepEqual(await h.storage.listCheckpointIds(), [2]);
});

test('checkpoint-coordinator: ignores acknowledgements for unknown, subsumed or discarded checkpoints', async (t) => {
  const h = await harness(t, { maxConcurrent: 2, timeoutMs: 1000 });
  h.coordinator.start();
  const one = h.coordinator.triggerCheckpoint();
  const two = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  await triggered(h, 2);
  t.is(h.coordinator.acknowledge('a-src-0', 1, sourceAck(0, 1)), 'accepted');
  t.is(h.coordinator.acknowledge('a-src-0', 1, sourceAck(0, 1)), 'duplicate');
  t.is(h.coordinator.acknowledge('a-stranger', 1, sourceAck(0, 1)), 'unknown-task');
  t.is(h.coordinator.acknowledge('a-src-0', 99, sourceAck(0, 1)), 'unknown-checkpoint');
  t.deepEqual(ackAll(h, 2, []), ['accepted', 'accepted', 'accepted']);
  await two;
  t.like(await t.throwsAsync<CheckpointFailedError>(one), { reason: 'subsumed' });

  // Acknowledgements for the subsumed checkpoint change nothing and pin no file.
  const late = await writeFiles(h.storage, { 'shared/late': 'l' });
  t.is(h.coordinator.acknowledge('a-agg-0', 1, aggAck(late)), 'late');
  t.is(h.coordinator.decline('a-src-1', 1, 'too late'), 'late');
  t.is(h.store.refCount('shared/late'), 0);

  // Nor do those for a checkpoint discarded after a timeout.
  const three = h.coordinator.triggerCheckpoint();
  await triggered(h, 3);
  h.time.advance(1000);
  await t.throwsAsync(three);
  t.is(h.coordinator.acknowledge('a-agg-0', 3, aggAck(late)), 'late');
  t.is(h.store.refCount('shared/late'), 0);
  t.deepEqual(h.store.retained.map((c) => c.checkpointId), [2]);
  t.deepEqual(h.coordinator.stats.snapshot().counts, { completed: 1, failed: 2, inProgress: 0, restored: 0 });
});

test('checkpoint-coordinator: an acknowledgement naming a file outside its checkpoint, or a foreign operator, fails the checkpoint', async (t) => {
  const h = await harness(t, { maxConcurrent: 3 });
  h.coordinator.start();
  const cases = [
    aggAck([{ name: 'chk-7/agg-0/k', sizeBytes: 1 }]),
    aggAck([{ name: 'shared/../../etc/passwd', sizeBytes: 1 }]),
    { operators: [{ operatorId: 'src', operator: {} }] },
  ];
  for (const [i, ack] of cases.entries()) {
    const id = i + 1;
    const p = h.coordinator.triggerCheckpoint();
    await triggered(h, id);
    t.is(h.coordinator.acknowledge('a-agg-0', id, ack), 'invalid');
    t.like(await t.throwsAsync<CheckpointFailedError>(p), { reason: 'invalid-acknowledgement' });
  }
  t.is(h.coordinator.acknowledge('a-agg-0', 4, { operators: 'nope' }), 'unknown-checkpoint');
});

test('checkpoint-coordinator: a checkpoint naming a file that is not there fails instead of publishing _metadata', async (t) => {
  const h = await harness(t);
  h.coordinator.start();
  const p = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  ackAll(h, 1, [{ name: 'shared/never-written', sizeBytes: 10 }]);
  const err = await t.throwsAsync<CheckpointFailedError>(p);
  t.is(err?.reason, 'finalize-failed');
  t.regex(err!.detail, /shared\/never-written: file is missing/);
  await h.coordinator.stop();
  t.deepEqual(await h.storage.listCheckpointIds(), []);
  t.is(h.gateway.of('complete').length, 0);
});

test('checkpoint-coordinator: stop aborts pending checkpoints, deletes their files and refuses new triggers', async (t) => {
  const h = await harness(t, { maxConcurrent: 2 });
  h.coordinator.start();
  const ps = [h.coordinator.triggerCheckpoint(), h.coordinator.triggerCheckpoint()];
  await triggered(h, 2);
  await writeFiles(h.storage, { 'chk-1/x': 'x', 'chk-2/y': 'y' });
  await h.coordinator.stop();
  for (const p of ps) t.like(await t.throwsAsync<CheckpointFailedError>(p), { reason: 'stopped' });
  t.deepEqual(await readdir(join(h.storage.location(1).root)), ['shared']);
  t.like(await t.throwsAsync<CheckpointFailedError>(h.coordinator.triggerCheckpoint()), { reason: 'stopped' });
  t.is(h.coordinator.status, 'STOPPED');
});

test('checkpoint-coordinator: refuses to trigger while tasks are not running or too many checkpoints are in progress', async (t) => {
  const h = await harness(t);
  h.coordinator.start();
  h.taskSet = { kind: 'not-ready', reason: 'task job1/src/0 is DEPLOYING, not RUNNING' };
  t.like(await t.throwsAsync<CheckpointFailedError>(h.coordinator.triggerCheckpoint()), { reason: 'not-ready', checkpointId: 0 });
  h.taskSet = { kind: 'ready', tasks: TASKS };
  const p = h.coordinator.triggerCheckpoint();
  t.like(await t.throwsAsync<CheckpointFailedError>(h.coordinator.triggerCheckpoint()), { reason: 'too-many-concurrent' });
  await triggered(h, 1);
  ackAll(h, 1, []);
  t.is((await p).checkpointId, 1, 'a refusal uses no checkpoint id');
});

test('checkpoint-coordinator: a failing enumerator snapshot or trigger call fails the checkpoint', async (t) => {
  const h = await harness(t, { maxConcurrent: 2 });
  h.coordinator.start();
  h.enumerators = () => {
    throw new Error('enumerator exploded');
  };
  t.like(await t.throwsAsync<CheckpointFailedError>(h.coordinator.triggerCheckpoint()), { reason: 'enumerator-failed', detail: 'enumerator exploded' });
  t.is(h.gateway.of('trigger').length, 0, 'sources are not triggered without the enumerators’ state');
  h.enumerators = () => [{ operatorId: 'src', state: { when: new Date(0) } as never }];
  t.like(await t.throwsAsync<CheckpointFailedError>(h.coordinator.triggerCheckpoint()), { reason: 'enumerator-failed' });
  h.enumerators = () => [];
  h.gateway.failTriggers = true;
  const err = await t.throwsAsync<CheckpointFailedError>(h.coordinator.triggerCheckpoint());
  t.is(err?.reason, 'trigger-failed');
  t.regex(err!.detail, /could not trigger job1\/src\/0: connection refused/);
});

test('checkpoint-coordinator: continues checkpoint ids after those already in storage', async (t) => {
  const dir = await tempDir(t);
  const first = await harness(t, {}, { dir });
  for (const id of [1, 2, 3]) await writeCheckpoint(first.storage, id, { files: {} });
  const h = await harness(t, {}, { dir });
  t.deepEqual(h.store.retained.map((c) => c.checkpointId), [1, 2, 3]);
  h.coordinator.start();
  const p = h.coordinator.triggerCheckpoint();
  await triggered(h, 4);
  ackAll(h, 4, []);
  t.is((await p).checkpointId, 4);
  await h.store.flush();
  t.deepEqual(await h.storage.listCheckpointIds(), [2, 3, 4]);
});

test('checkpoint-coordinator: a periodic trigger held back by maxConcurrent goes out as soon as the checkpoint in progress ends', async (t) => {
  const h = await harness(t, { intervalMs: 1000 });
  h.coordinator.start();
  h.time.advance(1000); // 11 000
  await triggered(h, 1);
  h.time.advance(1300); // 12 300: the tick at 12 000 found checkpoint 1 in progress
  t.is(h.gateway.of('trigger', 2).length, 0);
  h.coordinator.decline('a-src-0', 1, 'busy');
  h.time.advance(0);
  await triggered(h, 2);
  t.is(h.gateway.of('trigger', 2)[0]!.timestamp, 12_300);
});

test('checkpoint-coordinator: a checkpoint that times out while its _metadata is being written is discarded, _metadata included', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let publishing = false;
  const h = await harness(t, { timeoutMs: 1000 }, {
    wrapStorage: (s) =>
      Object.assign(Object.create(s) as typeof s, {
        publishMetadata: async (id: number, bytes: Uint8Array) => {
          publishing = true;
          await gate;
          await s.publishMetadata(id, bytes);
        },
      }),
  });
  h.coordinator.start();
  const p = h.coordinator.triggerCheckpoint();
  await triggered(h, 1);
  ackAll(h, 1, await writeFiles(h.storage, { 'chk-1/k': 'k' }));
  await eventually(() => publishing, 'publish to start');
  h.time.advance(1000);
  t.like(await t.throwsAsync<CheckpointFailedError>(p), { reason: 'timeout' });
  release();
  await h.coordinator.stop();
  t.deepEqual(await h.storage.listCheckpointIds(), []);
  t.deepEqual(h.store.retained, []);
  t.is(h.gateway.of('complete').length, 0);
});

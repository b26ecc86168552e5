import test, { type ExecutionContext } from 'ava';
import type { CheckpointingMode } from '@eddy/common';
import { CheckpointHarness, eventually, sleep, withEnvironments } from './checkpoint-harness.js';
import { committedRecords, countingJob, expectedCounts, testDirs } from './counting-job.js';

const RECORDS = 8000;
const RATE = 8000; // records per second over both sources: the run lasts about 1 s

/**
 * Runs the counting job, takes two checkpoints while records flow, fails every task soon after the
 * second (a third is in flight), restores a fresh set of tasks from the latest completed checkpoint
 * and runs them to the end.
 */
async function failAndRestore(t: ExecutionContext, mode: CheckpointingMode, backend: 'heap' | 'leveldb') {
  const dirs = testDirs(t);
  const plan = countingJob(dirs.out, backend, RECORDS, RATE);
  return withEnvironments(async (envs) => {
    const common = { jobId: 'job1', mode, checkpointDir: dirs.checkpoints, dataDir: dirs.data, ...(backend === 'leveldb' ? { sharedDir: dirs.shared } : {}) };
    const first = CheckpointHarness.deploy(plan, envs, { ...common, attempt: 'a1' });
    const run = first.start();
    await eventually(() => first.tasks.every((x) => x.task.recordsIn > 0));
    await first.whenCompleted(first.trigger());
    await sleep(100);
    await first.whenCompleted(first.trigger());
    first.trigger();
    await sleep(30);
    await first.cancelAll();
    await run.catch(() => {});
    // On a busy machine the job may have ended before the failure: then the latest checkpoint is its final one.
    const restoredFrom = first.completed[first.completed.length - 1]!;
    const replayed = [...restoredFrom.tasks.values()].some((s) => !s.finished);
    t.log(`restored from checkpoint ${restoredFrom.id}${replayed ? '' : ', which the job had finished'}`);
    const second = CheckpointHarness.deploy(plan, envs, { ...common, attempt: 'a2', restore: restoredFrom, lastCheckpointId: first.lastCheckpointId });
    await second.start();
    return { first, second, restoredFrom, out: committedRecords(dirs.out) };
  });
}

for (const backend of ['heap', 'leveldb'] as const) {
  test(`task checkpoints (${backend}): barriers align while records flow, acks carry the state handles, and a restore yields the failure-free output exactly once`, async (t) => {
    const { first, restoredFrom, out } = await failAndRestore(t, 'exactly-once', backend);
    t.true(restoredFrom.id >= 2);
    t.is(restoredFrom.tasks.size, 4, 'every subtask acknowledged');
    // The first checkpoint is taken as soon as records flow, early in a run of about 1 s.
    const firstAcks = first.acks.filter((a) => a.checkpointId === 1);
    t.is(firstAcks.length, 4);
    for (const { task, snapshot: s, metrics } of firstAcks) {
      t.is(s.version, 1);
      t.falsy(s.finished, task);
      const ops = Object.values(s.operators);
      if (first.tasks.find((x) => x.key === task)!.isSource) {
        t.is(ops.length, 1);
        t.is(ops[0]!.sourceSplits?.length, 1, `${task} has its split with its position`);
        t.is(s.keyed, undefined);
      } else {
        t.is(s.keyed?.length, 1, `${task} has its keyed state`);
        t.is(s.keyed![0]!.kind, backend === 'heap' ? 'key-groups' : 'leveldb-files');
        t.true(ops.some((o) => Array.isArray(o.sink?.committables)), `${task} has its sink's committables`);
        t.true(metrics.alignmentMs >= 0 && metrics.syncMs >= 0 && metrics.asyncMs >= 0);
        t.true(metrics.bytesFull > 0 && metrics.bytesIncremental > 0 && metrics.bytesIncremental <= metrics.bytesFull);
      }
    }
    t.deepEqual(out.map((r) => `${r.k}:${r.n}`).sort(), expectedCounts(RECORDS), 'every count once, none missing');
    t.deepEqual(out.map((r) => r.i).sort((a, b) => a - b), Array.from({ length: RECORDS }, (_, i) => i), 'every record once');
    t.deepEqual(first.declines, []);
    t.deepEqual(first.protocolErrors, []);
  });
}

for (const backend of ['heap', 'leveldb'] as const) {
  test(`task checkpoints (at-least-once, ${backend}): barriers do not block, and a restore loses no record`, async (t) => {
    const { first, out } = await failAndRestore(t, 'at-least-once', backend);
    t.deepEqual(first.declines, []);
    t.deepEqual(first.protocolErrors, []);
    const ids = new Set(out.map((r) => r.i));
    t.is(ids.size, RECORDS, 'every record is in the committed output');
    const counts = new Set(out.map((r) => `${r.k}:${r.n}`));
    for (const c of expectedCounts(RECORDS)) if (!counts.has(c)) t.fail(`count ${c} is missing`);
  });
}

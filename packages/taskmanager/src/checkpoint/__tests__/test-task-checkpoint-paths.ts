import test from 'ava';
import type { SinkContext, Source, SourceReader } from '@eddy/common';
import { defineJob, FileSink, GeneratorSource } from '@eddy/sdk';
import { FINAL_CHECKPOINT } from '../task-checkpoint-snapshot.js';
import { CheckpointHarness, committedLines, eventually, sleep, withEnvironments } from './checkpoint-harness.js';
import { committedRecords, countingJob, expectedCounts, KEYS, testDirs, type Counted } from './counting-job.js';

const options = (dirs: ReturnType<typeof testDirs>, attempt: string) => ({ jobId: 'job1', attempt, mode: 'exactly-once' as const, checkpointDir: dirs.checkpoints, dataDir: dirs.data });

test('task checkpoints: a source whose reader cannot snapshot declines, the aligning tasks let the checkpoint go, and the job runs on', async (t) => {
  const dirs = testDirs(t);
  const records = 3000;
  const gen = new GeneratorSource(records, (i): Counted => ({ k: i % KEYS, n: 1, i }), { ratePerSecond: 6000 });
  // Subtask 1's reader cannot snapshot; subtask 0's barrier holds its channel at the keyed tasks.
  const source: Source<Counted, unknown> = {
    boundedness: 'bounded',
    createEnumerator: (ctx) => gen.createEnumerator(ctx),
    restoreEnumerator: (ctx, state) => gen.restoreEnumerator(ctx, state as never),
    createReader: (ctx) => {
      const r = gen.createReader(ctx) as SourceReader<Counted, unknown>;
      return ctx.subtaskIndex === 0 ? r : { addSplit: (s) => r.addSplit(s), pollNext: (o, m) => r.pollNext(o, m), available: () => r.available!() };
    },
  };
  const plan = countingJob(dirs.out, 'heap', records, undefined, source as Source<unknown, unknown>);
  await withEnvironments(async (envs) => {
    const h = CheckpointHarness.deploy(plan, envs, options(dirs, 'a1'));
    const run = h.start();
    await sleep(100);
    const id = h.trigger();
    await t.throwsAsync(h.whenCompleted(id), { message: /does not implement snapshotState\(\)/ });
    await run;
    t.deepEqual(h.declines.map((d) => [d.task.endsWith('/1'), d.checkpointId]), [[true, id]]);
    const keyedAcks = h.acks.filter((a) => a.checkpointId === id && !h.tasks.find((x) => x.key === a.task)!.isSource);
    t.deepEqual(keyedAcks, [], 'no keyed task took the declined checkpoint');
    t.is(h.completed.length, 1, 'the final checkpoint completed');
  });
  t.deepEqual(committedRecords(dirs.out).map((r) => `${r.k}:${r.n}`).sort(), expectedCounts(records));
});

test('task checkpoints: at the end of input each task acknowledges its final snapshot and waits, invisible, until a checkpoint holding it completes; a restore from that checkpoint adds nothing', async (t) => {
  const dirs = testDirs(t);
  const records = 400;
  const plan = countingJob(dirs.out, 'heap', records, undefined);
  await withEnvironments(async (envs) => {
    const h = CheckpointHarness.deploy(plan, envs, { ...options(dirs, 'a1'), finalCheckpoint: false });
    let ended = false;
    const run = h.start().then(() => (ended = true));
    await eventually(() => h.acks.filter((a) => a.checkpointId === FINAL_CHECKPOINT).length === 4);
    for (const a of h.acks.filter((x) => x.checkpointId === FINAL_CHECKPOINT)) {
      t.true(a.snapshot.finished, a.task);
      t.is(a.snapshot.keyed, undefined, 'a finished task keeps no keyed state');
      const sink = Object.values(a.snapshot.operators).find((o) => o.sink)?.sink;
      if (!h.tasks.find((x) => x.key === a.task)!.isSource) t.true(sink!.committables.length > 0, `${a.task} holds its end-of-input transaction`);
    }
    await sleep(100);
    t.false(ended, 'no task finishes before its final snapshot is in a completed checkpoint');
    t.deepEqual(committedLines(dirs.out), [], 'nothing is visible before the commit');
    // Every task's input ended: the trigger goes to each of them and is answered at once.
    const c = await h.whenCompleted(h.trigger(), 5000);
    for (const s of c.tasks.values()) t.true(s.finished);
    await run;
    t.true(ended);
    t.deepEqual(committedRecords(dirs.out).map((r) => `${r.k}:${r.n}`).sort(), expectedCounts(records));

    const again = CheckpointHarness.deploy(plan, envs, { ...options(dirs, 'a2'), restore: c });
    await again.start();
    t.deepEqual(committedRecords(dirs.out).map((r) => `${r.k}:${r.n}`).sort(), expectedCounts(records), 'committed again idempotently, nothing repeated');
  });
});

test('task checkpoints: a trigger wakes a source that waits for input, and its snapshot is taken at once', async (t) => {
  const dirs = testDirs(t);
  const never = new Promise<void>(() => {});
  // A reader with nothing to read for a long time: without the trigger's wakeup it would not poll again.
  const idle: Source<number, unknown> = {
    boundedness: 'unbounded',
    createEnumerator: () => ({ nextSplit: () => ({ kind: 'no-more' }), snapshotState: () => ({}) }),
    restoreEnumerator: () => ({ nextSplit: () => ({ kind: 'no-more' }), snapshotState: () => ({}) }),
    createReader: () => ({ addSplit() {}, pollNext: () => 'nothing-available', available: () => never, snapshotState: () => [{ position: 7 }] }),
  };
  const sinkContexts: SinkContext[] = [];
  const sink = FileSink.forPath<number>(dirs.out);
  const plan = defineJob((env) => {
    env.fromSource(idle).setParallelism(1).sinkTo({
      createWriter: (ctx) => (sinkContexts.push(ctx), sink.createWriter(ctx)),
      createCommitter: (ctx) => sink.createCommitter(ctx),
      restoreWriter: (ctx, r) => sink.restoreWriter(ctx, r as never),
    }).setParallelism(1);
  }).plan([], { defaultParallelism: 1 });
  await withEnvironments(async (envs) => {
    const h = CheckpointHarness.deploy(plan, envs, options(dirs, 'a1'));
    const run = h.start();
    await sleep(200);
    const start = Date.now();
    const c = await h.whenCompleted(h.trigger(), 5000);
    t.true(Date.now() - start < 2000, `acknowledged after ${Date.now() - start} ms`);
    t.deepEqual(Object.values([...c.tasks.values()][0]!.operators).find((o) => o.sourceSplits)?.sourceSplits, [{ position: 7 }]);
    t.deepEqual(sinkContexts.map((s) => s.checkpointing), [true], 'the sink is told the job checkpoints');
    await h.cancelAll();
    await run;
  });
});

import test from 'ava';
import type { eddy } from '@eddy/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactBytes, jobModuleSource, testGraph } from './helpers/jobs.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';

/** Submits the test job with checkpoints every `intervalMs` and reports every subtask RUNNING. */
async function runningCheckpointedJob(c: TestCluster, intervalMs: number): Promise<string> {
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource({ checkpointIntervalMs: intervalMs }));
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 8);
  for (const tm of c.tms) for (const d of tm.submitted) await tm.report(jobId, d.attemptId, 'RUNNING');
  return jobId;
}

/**
 * Has every task acknowledge checkpoint n once, as soon as a source is triggered with it (a fake for
 * barriers reaching them); `operatorsOf` gives a task's acknowledged operator states.
 */
function acknowledgeOnTrigger(c: TestCluster, operatorsOf: (d: eddy.v1.TaskDeploymentDescriptor, checkpointId: number) => object[] = () => []): void {
  const acknowledged = new Set<string>();
  for (const tm of c.tms) {
    tm.onTrigger = (req) => {
      for (const other of c.tms) {
        for (const d of other.submitted) {
          const key = `${req.checkpointId}/${d.attemptId}`;
          if (acknowledged.has(key)) continue;
          acknowledged.add(key);
          const operators = operatorsOf(d, req.checkpointId);
          void other.jobMaster.api.AcknowledgeCheckpoint({ jobId: d.jobId, attemptId: d.attemptId, checkpointId: req.checkpointId, acknowledgementJson: JSON.stringify({ operators }) });
        }
      }
    };
  }
}

test('job-manager: a checkpointing job is triggered at its sources; once every task acknowledged, _metadata is written, tasks are told, and status and metrics show it', async (t) => {
  const c = await startCluster({ jm: { metricsPort: 0 } });
  t.teardown(() => c.close());
  acknowledgeOnTrigger(c);
  const jobId = await runningCheckpointedJob(c, 100);
  const location = JSON.parse(c.tms[0]!.submitted[0]!.checkpointingJson) as { mode: string; checkpointDir: string; sharedDir: string };
  t.is(location.mode, 'exactly-once');
  t.is(location.checkpointDir, join(c.dir, 'data', 'checkpoints', jobId));
  t.is(location.sharedDir, join(location.checkpointDir, 'shared'));
  // Only the two source subtasks (src -> map) are triggered.
  await eventually(() => c.tms.some((tm) => tm.completed.length > 0), 5000);
  const triggered = c.tms.flatMap((tm) => tm.triggered.filter((r) => r.checkpointId === 1).map((r) => r.attemptId));
  const sources = c.tms.flatMap((tm) => tm.submitted.filter((d) => d.vertexId === 'src').map((d) => d.attemptId));
  t.deepEqual(triggered.sort(), sources.sort());
  const metadata = join(location.checkpointDir, 'chk-1', '_metadata');
  t.true(existsSync(metadata));
  t.regex(readFileSync(metadata, 'utf8'), /"format":"eddy-checkpoint-metadata"/);
  const completedAt = c.tms.flatMap((tm) => tm.completed.filter((n) => n.checkpointId === 1));
  t.is(completedAt.length, 8, 'every task hears that checkpoint 1 completed');
  const status = await eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return (s.checkpoints?.completed ?? 0) >= 2 && s;
  }, 5000);
  t.like(status.checkpoints!.latest, { status: 'COMPLETED', totalTasks: 8, acknowledgedTasks: 8 });
  const metrics = await (await fetch(`http://127.0.0.1:${c.jm.metricsPort}/metrics`)).text();
  t.regex(metrics, new RegExp(`eddy_job_checkpoints_completed_total\\{job_id="${jobId}"\\} [1-9]`));
  t.regex(metrics, /# TYPE eddy_job_last_checkpoint_duration_seconds gauge/);
});

test('job-manager: a declined checkpoint fails, is counted, and the next one completes', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  let declined = false;
  for (const tm of c.tms) {
    tm.onTrigger = (req) => {
      const all = c.tms.flatMap((x) => x.submitted.map((d) => ({ tm: x, d })));
      if (!declined) {
        declined = true;
        const { tm: x, d } = all[0]!;
        void x.jobMaster.api.DeclineCheckpoint({ jobId: d.jobId, attemptId: d.attemptId, checkpointId: req.checkpointId, reason: 'the sink is not ready' });
        return;
      }
      for (const { tm: x, d } of all) void x.jobMaster.api.AcknowledgeCheckpoint({ jobId: d.jobId, attemptId: d.attemptId, checkpointId: req.checkpointId, acknowledgementJson: '{"operators":[]}' });
    };
  }
  const jobId = await runningCheckpointedJob(c, 100);
  const status = await eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return (s.checkpoints?.completed ?? 0) >= 1 && s;
  }, 5000);
  t.true((status.checkpoints!.failed ?? 0) >= 1);
  t.true(status.checkpoints!.history!.some((e) => e.status === 'FAILED' && /the sink is not ready/.test(e.failure ?? '')), JSON.stringify(status.checkpoints!.history));
  t.true(c.tms.some((tm) => tm.aborted.some((a) => a.checkpointId === 1)), 'tasks hear that checkpoint 1 was aborted');
});

test('job-manager: acknowledgements that are not JSON or name a foreign job are refused', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const jobId = await runningCheckpointedJob(c, 60_000);
  const tm = c.tms[0]!;
  const d = tm.submitted[0]!;
  await t.throwsAsync(tm.jobMaster.api.AcknowledgeCheckpoint({ jobId, attemptId: d.attemptId, checkpointId: 1, acknowledgementJson: '{oops' }), { message: /acknowledgement_json is not JSON/ });
  await t.throwsAsync(tm.jobMaster.api.AcknowledgeCheckpoint({ jobId, attemptId: d.attemptId, checkpointId: 0, acknowledgementJson: '{}' }), { message: /checkpoint_id must be an integer >= 1/ });
  await t.throwsAsync(tm.jobMaster.api.AcknowledgeCheckpoint({ jobId: 'nosuchjob', attemptId: d.attemptId, checkpointId: 1, acknowledgementJson: '{}' }), { message: /not found/ });
});

test('job-manager: a failed checkpointing job restarts from its latest checkpoint with new attempts, by its restart strategy, and fails once it is exhausted', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  acknowledgeOnTrigger(c, (d, id) => (d.vertexId === 'src' ? [{ operatorId: 'src', operator: { splits: [{ at: id }] } }] : []));
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource({ checkpointIntervalMs: 100, restartStrategy: { kind: 'fixed-delay', attempts: 1, delayMs: 50 } }));
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  const deployed = () => c.tms.flatMap((tm) => tm.submitted);
  const seen = new Set<string>();
  /** Waits for 8 new deployments and reports them RUNNING; returns them. */
  const runNext = async () => {
    await eventually(() => deployed().filter((d) => !seen.has(d.attemptId)).length === 8, 5000);
    const batch = deployed().filter((d) => !seen.has(d.attemptId));
    for (const d of batch) seen.add(d.attemptId);
    for (const d of batch) await tmOf(d.attemptId).report(jobId, d.attemptId, 'RUNNING');
    return batch;
  };
  const tmOf = (attemptId: string) => c.tms.find((tm) => tm.submitted.some((d) => d.attemptId === attemptId))!;
  const first = await runNext();
  await eventually(async () => ((await c.client.api.GetJobStatus({ jobId })).checkpoints?.completed ?? 0) >= 1, 5000);
  // A task fails: every other task is canceled, then the job restarts with new attempts.
  await tmOf(first[0]!.attemptId).report(jobId, first[0]!.attemptId, 'FAILED', { message: 'boom at record 7' });
  const second = await runNext();
  t.is(first[0]!.restoreJson, '', 'the first attempt restores nothing');
  const restore = JSON.parse(second.find((d) => d.vertexId === 'src')!.restoreJson) as { checkpointId: number; operators: { operatorId: string; operator: { splits: { at: number }[] } }[] };
  t.true(restore.checkpointId >= 1);
  t.deepEqual(restore.operators, [{ operatorId: 'src', operator: { splits: [{ at: restore.checkpointId }] } }]);
  const running = await c.client.api.GetJobStatus({ jobId });
  t.is(running.state, 'RUNNING');
  t.is(running.restartsTotal, 1);
  t.like(running.restarts![0], { cause: 'boom at record 7', decision: 'restart', delayMs: 50, restoredCheckpoint: restore.checkpointId });
  // The second failure exhausts the strategy (one restart): FAILED, with both causes in the history.
  await eventually(async () => ((await c.client.api.GetJobStatus({ jobId })).checkpoints?.completed ?? 0) >= 2, 5000);
  await tmOf(second[1]!.attemptId).report(jobId, second[1]!.attemptId, 'FAILED', { message: 'boom again' });
  const failed = await eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return s.state === 'FAILED' && s;
  }, 5000);
  t.is(failed.failure?.message, 'boom again');
  t.deepEqual(failed.restarts!.map((r) => [r.cause, r.decision]), [['boom at record 7', 'restart'], ['boom again', 'exhausted']]);
  t.is(deployed().length, 16, 'no third attempt');
});

test('job-manager: keyed state files and task state acknowledged by a task come back unchanged in its restore after a failure', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  acknowledgeOnTrigger(c, (d, checkpointId) => {
    if (d.vertexId !== 'agg') return [];
    // As a task writes them: its private files under chk-<n>/, table files under shared/.
    const root = (JSON.parse(d.checkpointingJson) as { checkpointDir: string }).checkpointDir;
    const own = `chk-${checkpointId}/agg-${d.subtaskIndex}`;
    mkdirSync(join(root, own), { recursive: true });
    mkdirSync(join(root, 'shared', `agg-${d.subtaskIndex}`), { recursive: true });
    writeFileSync(join(root, own, 'MANIFEST-000003'), 'm'.repeat(10));
    writeFileSync(join(root, 'shared', `agg-${d.subtaskIndex}`, '000012.ldb'), 't'.repeat(30));
    return [
      {
        operatorId: 'agg',
        keyed: { keyGroups: { start: 0, end: 42 }, files: [{ name: `shared/agg-${d.subtaskIndex}/000012.ldb`, sizeBytes: 30 }, { name: `${own}/MANIFEST-000003`, sizeBytes: 10 }] },
        operator: { keyedHandles: [{ kind: 'leveldb-files', note: 'the task keeps its own handle here' }] },
      },
    ];
  });
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource({ checkpointIntervalMs: 100, restartStrategy: { kind: 'fixed-delay', attempts: 1, delayMs: 10 } }));
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 8);
  const first = c.tms.flatMap((tm) => tm.submitted.map((d) => ({ tm, d })));
  for (const { tm, d } of first) await tm.report(jobId, d.attemptId, 'RUNNING');
  await eventually(async () => ((await c.client.api.GetJobStatus({ jobId })).checkpoints?.completed ?? 0) >= 1, 5000);
  await first[0]!.tm.report(jobId, first[0]!.d.attemptId, 'FAILED', { message: 'boom' });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 16, 5000);
  const firstIds = new Set(first.map((x) => x.d.attemptId));
  const restoredAgg = c.tms.flatMap((tm) => tm.submitted).filter((d) => !firstIds.has(d.attemptId) && d.vertexId === 'agg');
  t.is(restoredAgg.length, 3);
  for (const d of restoredAgg) {
    const r = JSON.parse(d.restoreJson) as { checkpointId: number; operators: { operatorId: string; keyed: { files: { name: string }[] }; operator: unknown }[] };
    t.is(r.operators.length, 1);
    t.deepEqual(r.operators[0]!.keyed.files.map((f) => f.name), [`shared/agg-${d.subtaskIndex}/000012.ldb`, `chk-${r.checkpointId}/agg-${d.subtaskIndex}/MANIFEST-000003`]);
    t.deepEqual(r.operators[0]!.operator, { keyedHandles: [{ kind: 'leveldb-files', note: 'the task keeps its own handle here' }] });
  }
});

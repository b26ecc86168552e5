import test from 'ava';
import { eddy } from '@eddy/common';
import { artifactBytes, jobModuleSource, testGraph } from './helpers/jobs.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';
import type { FakeTaskManager } from './helpers/fake-task-manager.js';

const Status = eddy.v1.SplitResponse.Status;

async function runningJob(c: TestCluster, enumerator: 'two-splits' | 'throws' = 'two-splits') {
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource({ enumerator }));
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 8);
  const tasks = c.tms.flatMap((tm) => tm.submitted.map((d) => ({ tm, d })));
  const report = (x: { tm: FakeTaskManager; d: eddy.v1.TaskDeploymentDescriptor }, state: string, failure?: eddy.v1.IFailure) =>
    x.tm.report(jobId, x.d.attemptId, state, failure);
  return { jobId, tasks, report };
}

async function finalStatus(c: TestCluster, jobId: string) {
  return eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return (s.state === 'FAILED' || s.state === 'CANCELED' || s.state === 'FINISHED') && s;
  });
}

test('job-manager: a job is FINISHED when every subtask reports FINISHED, and its slots are freed', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const { jobId, tasks, report } = await runningJob(c);
  for (const x of tasks) await report(x, 'RUNNING');
  for (const x of tasks.slice(1)) await report(x, 'FINISHED');
  t.is((await c.client.api.GetJobStatus({ jobId })).state, 'RUNNING');
  await report(tasks[0]!, 'FINISHED');
  const status = await c.client.api.GetJobStatus({ jobId });
  t.is(status.state, 'FINISHED');
  t.true(status.endTime >= status.startTime && status.endTime > 0);
  t.true(status.vertices.every((v) => (v.subtasks ?? []).every((s) => s.state === 'FINISHED' && s.recordsIn === 10 && s.recordsOut === 5)));
  t.like(await c.client.api.GetClusterOverview({}), { slotsFree: 4, jobsRunning: 0 });
  // Reports about finished jobs and unknown attempts are ignored, not errors.
  await t.notThrowsAsync(report(tasks[0]!, 'RUNNING'));
  await t.notThrowsAsync(c.tms[0]!.report(jobId, 'no-such-attempt', 'FAILED'));
  t.is((await c.client.api.CancelJob({ jobId })).state, 'FINISHED');
});

test('job-manager: the first FAILED subtask fails the job with its failure and cancels the others', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const { jobId, tasks, report } = await runningJob(c);
  for (const x of tasks) await report(x, 'RUNNING');
  const victim = tasks.find((x) => x.d.vertexId === 'agg' && x.d.subtaskIndex === 1)!;
  await report(victim, 'FAILED', { message: 'TypeError: x is undefined', operatorId: 'agg', operatorName: 'AGG', subtask: 1, stack: 'at agg.js:1' });
  const status = await finalStatus(c, jobId);
  t.is(status.state, 'FAILED');
  t.deepEqual({ ...status.failure }, {
    message: 'TypeError: x is undefined',
    operatorId: 'agg',
    operatorName: 'AGG',
    subtask: 1,
    stack: 'at agg.js:1',
    taskManager: victim.tm.options.id,
    peerFailure: false,
  });
  const others = tasks.filter((x) => x !== victim).map((x) => x.d.attemptId).sort();
  await eventually(() => c.tms.flatMap((tm) => tm.canceled).length === 7);
  t.deepEqual(c.tms.flatMap((tm) => tm.canceled.map((r) => r.attemptId)).sort(), others);
  t.is((await c.client.api.GetClusterOverview({})).slotsFree, 4);
  // A second failure does not replace the first.
  await report(tasks.find((x) => x !== victim)!, 'FAILED', { message: 'later' });
  t.is((await c.client.api.GetJobStatus({ jobId })).failure?.message, 'TypeError: x is undefined');
});

test('job-manager: a failing job is FAILING until every subtask stopped, and reports the root cause over a peer failure', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  for (const tm of c.tms) tm.confirmCancels = false;
  const { jobId, tasks, report } = await runningJob(c);
  for (const x of tasks) await report(x, 'RUNNING');
  const [peer, root, ...rest] = tasks as [(typeof tasks)[0], (typeof tasks)[0], ...typeof tasks];
  await report(peer, 'FAILED', { message: 'output channel 0 to x gate 0 failed: read ECONNRESET', peerFailure: true });
  t.is((await c.client.api.GetJobStatus({ jobId })).state, 'FAILING');
  await eventually(() => c.tms.flatMap((tm) => tm.canceled).length === 7);
  await report(root, 'FAILED', { message: 'Error: cannot handle record 4321', operatorId: 'agg', operatorName: 'AGG', stack: 'at agg.js:1' });
  for (const x of rest) await report(x, 'CANCELED');
  const status = await c.client.api.GetJobStatus({ jobId });
  t.is(status.state, 'FAILED');
  t.is(status.failure?.message, 'Error: cannot handle record 4321');
  t.is(status.failure?.operatorName, 'AGG');
  t.false(status.failure?.peerFailure);
  t.like(await c.client.api.GetClusterOverview({}), { slotsFree: 4 });
});

test('job-manager: a canceled job is CANCELING until every subtask confirms, then CANCELED', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  for (const tm of c.tms) tm.confirmCancels = false;
  const { jobId, tasks, report } = await runningJob(c);
  for (const x of tasks) await report(x, 'RUNNING');
  await report(tasks[0]!, 'FINISHED');
  t.is((await c.client.api.CancelJob({ jobId })).state, 'CANCELING');
  await eventually(() => c.tms.flatMap((tm) => tm.canceled).length === 7);
  t.is((await c.client.api.CancelJob({ jobId })).state, 'CANCELING');
  for (const x of tasks.slice(1)) await report(x, 'CANCELED');
  const status = await c.client.api.GetJobStatus({ jobId });
  t.is(status.state, 'CANCELED');
  t.true(status.endTime > 0);
  t.is((await c.client.api.CancelJob({ jobId })).state, 'CANCELED');
  t.is((await c.client.api.ListJobs({})).jobs[0]?.state, 'CANCELED');
});

test('job-manager: a TaskManager without heartbeats is lost and fails its jobs with the reason', async (t) => {
  const c = await startCluster({ jm: { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 1000 }, heartbeatMs: 25 });
  t.teardown(() => c.close());
  const { jobId, tasks, report } = await runningJob(c);
  for (const x of tasks) await report(x, 'RUNNING');
  const [tm1, tm2] = c.tms as [FakeTaskManager, FakeTaskManager];
  tm2.stopHeartbeats();
  const status = await eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return s.state === 'FAILED' && s;
  });
  t.is(status.failure?.message, `TaskManager tm-2 (127.0.0.1:${tm2.rpcPort}) lost: no heartbeat for 1000 ms`);
  t.is(status.failure?.taskManager, 'tm-2');
  t.is(status.failure?.subtask, -1);
  await eventually(() => tm1.canceled.length === tm1.submitted.length);
  t.is(tm2.canceled.length, 0);
  t.like(await c.client.api.GetClusterOverview({}), { taskManagers: 1, slotsTotal: 2, slotsFree: 2 });
  t.false((await tm2.heartbeat()).registered);
  t.true((await tm1.heartbeat()).registered);
});

test('job-manager: RequestSplit hands out the enumerator splits, then NO_MORE', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const { jobId } = await runningJob(c);
  const jm = c.tms[0]!.jobMaster.api;
  const first = await jm.RequestSplit({ jobId, operatorId: 'src', subtask: 0 });
  const second = await jm.RequestSplit({ jobId, operatorId: 'src', subtask: 1 });
  const third = await jm.RequestSplit({ jobId, operatorId: 'src', subtask: 0 });
  t.deepEqual([first.status, second.status, third.status], [Status.ASSIGNED, Status.ASSIGNED, Status.NO_MORE]);
  t.deepEqual(JSON.parse(first.splitJson), { file: 'a.csv', parallelism: 2 });
  t.deepEqual(JSON.parse(second.splitJson), { file: 'b.csv' });
  await t.throwsAsync(jm.RequestSplit({ jobId, operatorId: 'map', subtask: 0 }), { name: 'NotFoundError', message: "the job has no source operator 'map'" });
  await t.throwsAsync(jm.RequestSplit({ jobId, operatorId: 'src', subtask: 2 }), { name: 'ValidationError' });
});

test('job-manager: a throwing split enumerator fails the job, naming the source', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const { jobId } = await runningJob(c, 'throws');
  const answer = await c.tms[0]!.jobMaster.api.RequestSplit({ jobId, operatorId: 'src', subtask: 1 });
  t.is(answer.status, Status.NO_MORE);
  const status = await finalStatus(c, jobId);
  t.is(status.state, 'FAILED');
  t.like(status.failure, {
    message: "split enumerator of source 'SRC' (src) failed: no files match /data/*.csv",
    operatorId: 'src',
    operatorName: 'SRC',
    subtask: 1,
  });
  t.regex(status.failure?.stack ?? '', /no files match/);
});

test('job-manager: a failed deployment fails the job with the reason', async (t) => {
  const c = await startCluster({ slots: [1, 1] });
  t.teardown(() => c.close());
  c.tms[1]!.failSubmitWith = 'slot 0 is busy';
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph({ aggParallelism: 2 }), args: [] });
  const status = await eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return s.state === 'FAILED' && s;
  });
  t.regex(status.failure?.message ?? '', new RegExp(`^could not deploy ${jobId}/\\w+/1 to TaskManager tm-2: .*slot 0 is busy`));
  t.is(status.failure?.taskManager, 'tm-2');
});

test('job-manager: a TaskManager that registers again under its id fails the jobs that ran on it', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const { jobId } = await runningJob(c);
  await c.tms[0]!.register();
  const status = await finalStatus(c, jobId);
  t.is(status.state, 'FAILED');
  t.is(status.failure?.message, `TaskManager tm-1 (127.0.0.1:${c.tms[0]!.rpcPort}) registered again: its tasks were lost`);
  t.like(await c.client.api.GetClusterOverview({}), { taskManagers: 2, slotsTotal: 4, slotsFree: 4 });
});

import test from 'ava';
import { eddy } from '@eddy/common';
import { artifactBytes, jobModuleSource, testGraph } from './helpers/jobs.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';
import type { FakeTaskManager } from './helpers/fake-task-manager.js';

async function runningJob(c: TestCluster) {
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 8);
  for (const tm of c.tms) for (const d of tm.submitted) await tm.report(jobId, d.attemptId, 'RUNNING');
  return jobId;
}

async function failed(c: TestCluster, jobId: string): Promise<eddy.v1.JobStatus> {
  return eventually(async () => {
    const s = await c.client.api.GetJobStatus({ jobId });
    return s.state === 'FAILED' && s;
  });
}

function statesOn(s: eddy.v1.JobStatus, taskManager: string): string[] {
  return s.vertices.flatMap((v) => (v.subtasks ?? []).filter((x) => x.taskManager === taskManager).map((x) => x.state ?? ''));
}

test('job-manager: registration tells the JobManager id; heartbeats and streams for another id are refused', async (t) => {
  const c = await startCluster({ slots: [1] });
  t.teardown(() => c.close());
  const tm = c.tms[0]!;
  t.regex(c.jm.id, /^jm-[a-z0-9]{16}$/);
  t.is(tm.jobManagerId, c.jm.id);
  t.true((await tm.heartbeat()).registered);
  t.false((await tm.jobMaster.api.Heartbeat({ taskManagerId: 'tm-1', jobManagerId: 'jm-of-yesterday' })).registered);
  tm.jobManagerId = 'jm-of-yesterday';
  await t.throwsAsync(tm.connect(), { name: 'NotFoundError', message: /^TaskManager tm-1 is not registered with this JobManager/ });
  tm.jobManagerId = c.jm.id;
  t.deepEqual({ ...(await tm.connect()) }, { jobManagerId: c.jm.id });
});

test('job-manager: a TaskManager whose Connect stream ends is lost at once, and its subtasks FAILED with that cause', async (t) => {
  const c = await startCluster(); // heartbeat timeout 10 s: the loss must come from the stream
  t.teardown(() => c.close());
  const [tm1, tm2] = c.tms as [FakeTaskManager, FakeTaskManager];
  await tm1.connect();
  await tm2.connect();
  const jobId = await runningJob(c);
  const started = Date.now();
  tm2.disconnect();
  const status = await failed(c, jobId);
  t.true(Date.now() - started < 2000);
  t.like(status.failure, { message: `TaskManager tm-2 (127.0.0.1:${tm2.rpcPort}) lost: its connection to the JobManager closed`, taskManager: 'tm-2', subtask: -1, peerFailure: false });
  t.deepEqual([...new Set(statesOn(status, 'tm-2'))], ['FAILED']);
  t.deepEqual([...new Set(statesOn(status, 'tm-1'))], ['CANCELED']);
  t.like(await c.client.api.GetClusterOverview({}), { taskManagers: 1, slotsFree: 2 });
  t.false((await tm2.heartbeat()).registered);
});

test('job-manager: after a peer failure, a TaskManager that cannot be reached to cancel is lost, and its loss is the root cause', async (t) => {
  const c = await startCluster();
  t.teardown(() => c.close());
  const [tm1, tm2] = c.tms as [FakeTaskManager, FakeTaskManager];
  const jobId = await runningJob(c);
  await tm2.stopServer(); // tm-2 died; its heartbeats have not timed out yet
  const peer = tm1.submitted[0]!;
  await tm1.report(jobId, peer.attemptId, 'FAILED', { message: 'output channel 0 failed: read ECONNRESET', peerFailure: true });
  const status = await failed(c, jobId);
  t.regex(status.failure?.message ?? '', new RegExp(`^TaskManager tm-2 \\(127\\.0\\.0\\.1:${tm2.rpcPort}\\) lost: cannot reach 127\\.0\\.0\\.1:${tm2.rpcPort} \\(CancelTask\\)`));
  t.like(status.failure, { taskManager: 'tm-2', peerFailure: false });
  t.deepEqual([...new Set(statesOn(status, 'tm-2'))], ['FAILED']);
});

test('job-manager: slots that still run tasks no job here knows are busy until the TaskManager stops reporting them', async (t) => {
  const c = await startCluster({ slots: [2] });
  t.teardown(() => c.close());
  const tm = c.tms[0]!;
  t.like(await c.client.api.GetClusterOverview({}), { slotsTotal: 2, slotsFree: 2 });
  // The TaskManager registers again (as with a restarted JobManager) while slot 1 still runs an old task.
  tm.running = [{ jobId: 'oldjob', attemptId: 'oldattempt', slotIndex: 1, recordsIn: 5 }];
  await tm.register();
  t.like(await c.client.api.GetClusterOverview({}), { slotsTotal: 2, slotsFree: 1 });
  t.deepEqual((await tm.heartbeat()).cancelAttempts, ['oldattempt']);
  // A job that needs both slots waits for the old task to go.
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph({ aggParallelism: 2 }), args: [] });
  t.is((await c.client.api.GetJobStatus({ jobId })).state, 'CREATED');
  t.is(tm.submitted.length, 0);
  tm.running = [];
  t.deepEqual((await tm.heartbeat()).cancelAttempts, []);
  await eventually(() => tm.submitted.length === 7);
  t.is((await c.client.api.GetJobStatus({ jobId })).state, 'RUNNING');
  // Its own tasks are no strays.
  tm.running = tm.submitted.map((d) => ({ jobId, attemptId: d.attemptId, slotIndex: d.slotIndex }));
  t.deepEqual((await tm.heartbeat()).cancelAttempts, []);
});

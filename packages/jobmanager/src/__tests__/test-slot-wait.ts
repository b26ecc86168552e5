import test from 'ava';
import { artifactBytes, jobModuleSource, testGraph } from './helpers/jobs.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';
import { FakeTaskManager } from './helpers/fake-task-manager.js';

async function submit(c: TestCluster, aggParallelism: number, slotWaitTimeoutMs?: number): Promise<string> {
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph({ aggParallelism }), args: [], ...(slotWaitTimeoutMs ? { slotWaitTimeoutMs } : {}) });
  return jobId;
}

const submittedTasks = (c: TestCluster, extra: FakeTaskManager[] = []): number => [...c.tms, ...extra].reduce((n, tm) => n + tm.submitted.length, 0);

test('job-manager: a job that needs more slots than are free waits in CREATED, says for what, and runs when a TaskManager joins', async (t) => {
  const c = await startCluster({ slots: [2, 2] });
  t.teardown(() => c.close());
  const before = Date.now();
  const jobId = await submit(c, 5);
  const waiting = await c.client.api.GetJobStatus({ jobId });
  t.is(waiting.state, 'CREATED');
  t.like(waiting.slotWait, { slotsNeeded: 5, slotsFree: 4 });
  const deadline = waiting.slotWait?.deadline ?? 0;
  t.true(deadline >= before + 300_000 && deadline <= Date.now() + 300_000);
  t.deepEqual(waiting.vertices.map((v) => (v.subtasks ?? []).map((s) => s.state).join()), ['CREATED,CREATED', 'CREATED,CREATED,CREATED,CREATED,CREATED', 'CREATED,CREATED', 'CREATED']);
  t.is((await c.client.api.ListJobs({})).jobs[0]?.state, 'CREATED');
  t.is(submittedTasks(c), 0);

  const tm3 = await FakeTaskManager.start({ id: 'tm-3', jobManagerPort: c.jm.port, slots: 1, dataPortBase: 40_300 });
  t.teardown(() => tm3.close());
  await tm3.register();
  await eventually(() => submittedTasks(c, [tm3]) === 2 + 5 + 2 + 1);
  const running = await c.client.api.GetJobStatus({ jobId });
  t.is(running.state, 'RUNNING');
  t.is(running.slotWait, null);
  t.like(await c.client.api.GetClusterOverview({}), { slotsTotal: 5, slotsFree: 0 });
});

test('job-manager: waiting jobs get the slots another job frees, in submission order as far as they fit', async (t) => {
  const c = await startCluster({ slots: [2] });
  t.teardown(() => c.close());
  const first = await submit(c, 2);
  await eventually(() => submittedTasks(c) === 7);
  const big = await submit(c, 3); // can never fit on 2 slots, and does not hold up the next one
  const next = await submit(c, 2);
  t.is((await c.client.api.GetJobStatus({ jobId: next })).state, 'CREATED');
  const tm = c.tms[0]!;
  for (const d of tm.submitted) await tm.report(first, d.attemptId, 'FINISHED');
  t.is((await c.client.api.GetJobStatus({ jobId: first })).state, 'FINISHED');
  await eventually(() => submittedTasks(c) === 14);
  t.is((await c.client.api.GetJobStatus({ jobId: next })).state, 'RUNNING');
  t.like(await c.client.api.GetJobStatus({ jobId: big }), { state: 'CREATED', slotWait: { slotsNeeded: 3, slotsFree: 0 } });
  t.is((await c.client.api.CancelJob({ jobId: big })).state, 'CANCELED');
  t.is((await c.client.api.GetJobStatus({ jobId: big })).slotWait, null);
});

test('job-manager: a job still waiting for slots after the slot wait timeout fails, saying how many it needs', async (t) => {
  const c = await startCluster({ slots: [2, 2], jm: { slotWaitTimeoutMs: 300 } });
  t.teardown(() => c.close());
  const byCluster = await submit(c, 5);
  const byJob = await submit(c, 6, 100);
  const fails = (jobId: string) =>
    eventually(async () => {
      const s = await c.client.api.GetJobStatus({ jobId });
      return s.state === 'FAILED' && s;
    });
  const [a, b] = await Promise.all([fails(byCluster), fails(byJob)]);
  t.like(a.failure, {
    message: 'the job needs 5 slots (its highest operator parallelism) but the cluster had 4 free when the slot wait timeout of 300 ms expired; lower -p or start more TaskManagers',
    subtask: -1,
    peerFailure: false,
  });
  t.regex(b.failure?.message ?? '', /^the job needs 6 slots .* slot wait timeout of 100 ms expired/);
  t.true(a.vertices.every((v) => (v.subtasks ?? []).every((s) => s.state === 'CANCELED')));
  t.like(await c.client.api.GetClusterOverview({}), { slotsFree: 4, jobsRunning: 0 });
});

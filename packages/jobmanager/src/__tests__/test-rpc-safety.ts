import test from 'ava';
import * as grpc from '@grpc/grpc-js';
import { DispatcherService, JobMasterService, createClient } from '@eddy/common';
import { artifactBytes, jobModuleSource, testGraph } from './helpers/jobs.js';
import { eventually, startCluster } from './helpers/cluster.js';

test('job-manager: enforces the token on every service and forwards it to TaskManagers', async (t) => {
  const c = await startCluster({ token: 'sekret' });
  t.teardown(() => c.close());
  const address = `127.0.0.1:${c.jm.port}`;
  const anonymous = createClient(DispatcherService, address);
  const wrong = createClient(JobMasterService, address, { token: 'guess' });
  t.teardown(() => {
    anonymous.close();
    wrong.close();
  });
  await t.throwsAsync(anonymous.api.ListJobs({}), { name: 'UnauthenticatedError' });
  await t.throwsAsync(wrong.api.Heartbeat({ taskManagerId: 'tm-1' }), { name: 'UnauthenticatedError' });
  // The fake TaskManagers registered with the token and require it on SubmitTask.
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 8);
  t.is((await c.client.api.ListJobs({})).jobs[0]?.state, 'RUNNING');
});

test('job-manager: rejects malformed ids and unknown jobs with clear errors', async (t) => {
  const c = await startCluster({ slots: [1] });
  t.teardown(() => c.close());
  const jm = c.tms[0]!.jobMaster.api;
  t.like(await c.tms[0]!.register(), { heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 10_000 });
  await t.throwsAsync(c.client.api.GetJobStatus({ jobId: '../../etc' }), { name: 'ValidationError', message: /^job_id must be/ });
  await t.throwsAsync(c.client.api.GetJobStatus({ jobId: 'nosuchjob' }), { name: 'NotFoundError', message: "job 'nosuchjob' not found" });
  await t.throwsAsync(c.client.api.CancelJob({ jobId: 'nosuchjob' }), { name: 'NotFoundError', message: "job 'nosuchjob' not found" });
  await t.throwsAsync(jm.GetArtifact({ jobId: '' }), { name: 'ValidationError' });
  await t.throwsAsync(jm.UpdateTaskExecutionState({ jobId: 'nosuchjob', attemptId: 'a', state: 'RUNNING' }), { name: 'NotFoundError' });
  await t.throwsAsync(jm.RequestSplit({ jobId: 'nosuchjob', operatorId: 'src' }), { name: 'NotFoundError' });
  await t.throwsAsync(jm.RegisterTaskManager({ taskManagerId: 'tm-x', host: 'a b', rpcPort: 1, slots: [{ index: 0, dataPort: 2 }] }), {
    name: 'ValidationError',
    message: "host must be a host name or IP address, got 'a b'",
  });
  await t.throwsAsync(jm.RegisterTaskManager({ taskManagerId: 'tm-x', host: 'h', rpcPort: 1, slots: [] }), { name: 'ValidationError' });
  await t.throwsAsync(jm.RegisterTaskManager({ taskManagerId: 'tm-x', host: 'h', rpcPort: 70000, slots: [{ index: 0, dataPort: 2 }] }), {
    name: 'ValidationError',
  });
  await t.throwsAsync(c.client.api.SubmitJob({ artifact: new Uint8Array([1]), args: [] }), { name: 'ValidationError', message: 'job_graph is missing' });
  t.false((await jm.Heartbeat({ taskManagerId: 'tm-unknown' })).registered);
  t.is((await c.client.api.GetClusterOverview({})).taskManagers, 1);
});

test('job-manager: answers garbage request bytes with an error status and keeps serving', async (t) => {
  const c = await startCluster({ slots: [1] });
  t.teardown(() => c.close());
  const raw = new grpc.Client(`127.0.0.1:${c.jm.port}`, grpc.credentials.createInsecure());
  t.teardown(() => raw.close());
  let seed = 42;
  const random = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff));
  const payloads = [random(64), random(7), random(300), Buffer.from([0x0a, 0x50, 0xc3]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])];
  const call = (path: string, bytes: Buffer) =>
    new Promise<grpc.status>((resolve) => {
      raw.makeUnaryRequest(path, () => bytes, (b: Buffer) => b, {}, new grpc.Metadata(), { deadline: Date.now() + 3000 }, (err) =>
        resolve(err ? err.code : grpc.status.OK),
      );
    });
  const methods = [
    '/eddy.v1.Dispatcher/SubmitJob',
    '/eddy.v1.Dispatcher/GetJobStatus',
    '/eddy.v1.Dispatcher/CancelJob',
    '/eddy.v1.JobMaster/RegisterTaskManager',
    '/eddy.v1.JobMaster/Heartbeat',
    '/eddy.v1.JobMaster/UpdateTaskExecutionState',
    '/eddy.v1.JobMaster/RequestSplit',
    '/eddy.v1.JobMaster/GetArtifact',
  ];
  for (const method of methods) {
    for (const bytes of payloads) {
      const code = await call(method, bytes);
      t.not(code, grpc.status.OK, `${method} accepted ${bytes.toString('hex')}`);
    }
  }
  t.like(await c.client.api.GetClusterOverview({}), { taskManagers: 1, slotsTotal: 1 });
});

test('job-manager: serves Prometheus metrics for the cluster and its jobs', async (t) => {
  const c = await startCluster({ jm: { metricsPort: 0 } });
  t.teardown(() => c.close());
  t.true(typeof c.jm.metricsPort === 'number' && c.jm.metricsPort > 0);
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: [] });
  await eventually(() => c.tms.reduce((n, tm) => n + tm.submitted.length, 0) === 8);
  const agg0 = c.tms.flatMap((tm) => tm.submitted).find((d) => d.vertexId === 'agg' && d.subtaskIndex === 0)!;
  await c.tms[0]!.jobMaster.api.Heartbeat({ taskManagerId: 'tm-1', jobManagerId: c.jm.id, tasks: [{ jobId, attemptId: agg0.attemptId, slotIndex: 0, recordsIn: 123, recordsOut: 45 }] });
  const res = await fetch(`http://127.0.0.1:${c.jm.metricsPort}/metrics`);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const body = await res.text();
  for (const line of [
    'eddy_jobmanager_taskmanagers 2',
    'eddy_jobmanager_slots_total 4',
    'eddy_jobmanager_slots_free 1',
    `eddy_job_state{job_id="${jobId}",name="test-job",state="RUNNING"} 1`,
    `eddy_job_records_in_total{job_id="${jobId}",vertex="agg"} 123`,
    `eddy_job_records_out_total{job_id="${jobId}",vertex="agg"} 45`,
    '# TYPE eddy_job_records_in_total counter',
  ]) {
    t.true(body.split('\n').includes(line), line);
  }
  t.is((await fetch(`http://127.0.0.1:${c.jm.metricsPort}/other`)).status, 404);
});

import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { eddy } from '@eddy/common';
import { artifactBytes, jobModuleSource, testGraph } from './helpers/jobs.js';
import { eventually, startCluster } from './helpers/cluster.js';

const P = eddy.v1.Partitioner;

test('job-manager: deploys every subtask with its gates, consumers and slots spread round-robin over TaskManagers', async (t) => {
  const c = await startCluster({ slots: [2, 2] });
  t.teardown(() => c.close());
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const { jobId } = await c.client.api.SubmitJob({ artifact, jobGraph: testGraph(), args: ['--in', 'x'] });
  const [tm1, tm2] = c.tms as [(typeof c.tms)[0], (typeof c.tms)[0]];
  await eventually(() => tm1.submitted.length + tm2.submitted.length === 8);

  const all = [...tm1.submitted, ...tm2.submitted];
  const tdd = (vertex: string, i: number) => all.find((d) => d.vertexId === vertex && d.subtaskIndex === i)!;
  // Subtask i of every vertex is in allocated slot i: tm-1.slot0, tm-2.slot0, tm-1.slot1.
  const where = (vertex: string, i: number) => `${tm1.submitted.includes(tdd(vertex, i)) ? 'tm-1' : 'tm-2'}.${tdd(vertex, i).slotIndex}`;
  t.deepEqual(['agg', 'agg', 'agg'].map((v, i) => where(v, i)), ['tm-1.0', 'tm-2.0', 'tm-1.1']);
  t.deepEqual([where('src', 0), where('src', 1), where('join', 1), where('sink', 0)], ['tm-1.0', 'tm-2.0', 'tm-2.0', 'tm-1.0']);

  const src0 = tdd('src', 0);
  t.like(src0, { jobId, jobName: 'test-job', parallelism: 2, maxParallelism: 128, taskKey: `${jobId}/src/0`, configJson: '{"bufferTimeoutMs":100}' });
  t.deepEqual(src0.operatorIds, ['src', 'map']);
  t.deepEqual(src0.inputs, []);
  t.is(src0.outputs.length, 2);
  t.like(src0.outputs[0], { partitioner: P.HASH, targetVertex: 'agg' });
  t.deepEqual(
    src0.outputs[0]!.consumers!.map((c) => ({ ...c })),
    [
      { host: '127.0.0.1', port: 40_100, taskKey: `${jobId}/agg/0`, gateIndex: 0 },
      { host: '127.0.0.1', port: 40_200, taskKey: `${jobId}/agg/1`, gateIndex: 0 },
      { host: '127.0.0.1', port: 40_101, taskKey: `${jobId}/agg/2`, gateIndex: 0 },
    ],
  );
  t.like(src0.outputs[1], { partitioner: P.BROADCAST, targetVertex: 'join' });
  t.deepEqual(src0.outputs[1]!.consumers!.map((c) => [c.taskKey, c.port, c.gateIndex]), [
    [`${jobId}/join/0`, 40_100, 1],
    [`${jobId}/join/1`, 40_200, 1],
  ]);

  const join1 = tdd('join', 1);
  t.deepEqual(join1.inputs.map((g) => ({ ...g })), [
    { gateIndex: 0, inputIndex: 0, partitioner: P.REBALANCE, numChannels: 3, sourceVertex: 'agg' },
    { gateIndex: 1, inputIndex: 1, partitioner: P.BROADCAST, numChannels: 2, sourceVertex: 'src' },
  ]);
  t.deepEqual(join1.outputs[0]!.consumers!.map((c) => [c.taskKey, c.port, c.gateIndex]), [[`${jobId}/sink/0`, 40_100, 0]]);
  t.is(tdd('sink', 0).outputs.length, 0);
  t.is(new Set(all.map((d) => d.attemptId)).size, 8);

  const status = await c.client.api.GetJobStatus({ jobId });
  t.is(status.state, 'RUNNING');
  t.deepEqual(status.vertices.map((v) => [v.id, v.subtasks?.length]), [['src', 2], ['agg', 3], ['join', 2], ['sink', 1]]);
  t.deepEqual(await c.client.api.GetClusterOverview({}).then((o) => ({ ...o })), { taskManagers: 2, slotsTotal: 4, slotsFree: 1, jobsRunning: 1 });

  const stored = JSON.parse(await readFile(join(c.dir, 'data', 'jobs', jobId, 'job.json'), 'utf8')) as { args: string[]; graph: { name: string } };
  t.deepEqual(stored.args, ['--in', 'x']);
  t.is(stored.graph.name, 'test-job');
  const served = await c.tms[0]!.jobMaster.api.GetArtifact({ jobId });
  t.deepEqual(Buffer.from(served.artifact), Buffer.from(artifact));
  t.deepEqual(served.args, ['--in', 'x']);
  t.is(served.sha256, createHash('sha256').update(artifact).digest('hex'));
});

test('job-manager: rejects invalid job graphs with a message that says exactly what is wrong', async (t) => {
  const c = await startCluster({ slots: [2, 2] });
  t.teardown(() => c.close());
  const artifact = await artifactBytes(c.dir, 'job.mjs', jobModuleSource());
  const submit = (jobGraph: eddy.v1.IJobGraph) => c.client.api.SubmitJob({ artifact, jobGraph, args: [] });
  const base = testGraph().edges!;

  await t.throwsAsync(submit(testGraph({ edges: [...base, { source: 'sink', target: 'agg', partitioner: P.HASH }] })), {
    name: 'ValidationError',
    message: "invalid job 'test-job': the job graph has a cycle: agg -> join -> sink -> agg",
  });
  await t.throwsAsync(submit(testGraph({ edges: [...base.slice(0, 3), { source: 'join', target: 'sink', partitioner: 42 as eddy.v1.Partitioner }] })), {
    name: 'ValidationError',
    message: "invalid job 'test-job': edge join -> sink has unknown partitioner '42' (known: forward, rebalance, hash, broadcast, rescale)",
  });
  // A job that could never run is rejected, however many slots the cluster has.
  await t.throwsAsync(submit({ ...testGraph({ aggParallelism: 5 }), maxParallelism: 4 }), {
    name: 'ValidationError',
    message: "invalid job 'test-job': operator 'AGG' has parallelism 5 above the job's maxParallelism 4",
  });
  await t.throwsAsync(submit(testGraph({ edges: [{ ...base[0]!, partitioner: P.REBALANCE }, ...base.slice(1)] })), {
    name: 'ValidationError',
    message: "invalid job 'test-job': operator 'AGG' needs a keyed stream: call keyBy() before it (its input is partitioned by rebalance)",
  });
  t.deepEqual((await c.client.api.ListJobs({})).jobs, []);
  t.is((await c.client.api.GetClusterOverview({})).slotsFree, 4);
});

test('job-manager: rejects artifacts that do not import, export no job, fail to plan or lack graph operators', async (t) => {
  const c = await startCluster({ slots: [4] });
  t.teardown(() => c.close());
  const submit = async (name: string, source: string) =>
    c.client.api.SubmitJob({ artifact: await artifactBytes(c.dir, name, source), jobGraph: testGraph(), args: [] });

  await t.throwsAsync(submit('syntax.mjs', 'export default {'), { name: 'ValidationError', message: /^job artifact could not be loaded: / });
  await t.throwsAsync(submit('throws.mjs', "throw new Error('boom at import');"), {
    name: 'ValidationError',
    message: 'job artifact could not be loaded: boom at import',
  });
  await t.throwsAsync(submit('nojob.mjs', 'export default { plan() {} };'), {
    name: 'ValidationError',
    message: 'the job module has no default export built with defineJob()',
  });
  await t.throwsAsync(submit('planfails.mjs', "export default { __eddyJob: 1, plan() { throw new Error('missing --in'); } };"), {
    name: 'ValidationError',
    message: 'the job function failed while building its plan: missing --in',
  });
  await t.throwsAsync(submit('other.mjs', jobModuleSource().replace("node('agg'", "node('aggregate'")), {
    name: 'ValidationError',
    message: "operator 'agg' of the job graph is not in the job's plan: the graph and the artifact were built from different code",
  });
  await t.throwsAsync(c.client.api.SubmitJob({ artifact: new Uint8Array(), jobGraph: testGraph(), args: [] }), { name: 'ValidationError' });
  t.is((await c.client.api.GetClusterOverview({})).slotsFree, 4);
  // Rejected jobs leave no files behind.
  t.deepEqual(await readdir(join(c.dir, 'data', 'jobs')), []);
});

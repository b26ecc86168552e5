import test from 'ava';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { cliMain, jobFile, runToEnd, sleep, submit, withCluster } from './helpers/cluster.js';
import { withHandStartedCluster } from './helpers/hand-started.js';

const exec = promisify(execFile);

/** `<job file>:<line>:` of the throw in test/jobs/throwing.ts: what a source-mapped stack frame names. */
function throwSite(): string {
  const file = jobFile('throwing.ts');
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
  return `${file}:${line}:`;
}

test('a user function that throws fails the job, and status names the operator, subtask and stack', async (t) => {
  await withCluster({ taskManagers: 2 }, async (cluster, client) => {
    const status = await runToEnd(client, jobFile('throwing.ts'), [], 2);
    t.is(status.state, 'FAILED');
    t.regex(status.failure!.message, /cannot handle record 4321/);
    t.is(status.failure!.operatorName, 'Explode');
    t.true(status.failure!.subtask === 0 || status.failure!.subtask === 1);
    t.true(status.failure!.stack.includes(throwSite()), status.failure!.stack);
    const { stdout } = await exec(process.execPath, [cliMain, 'status', status.jobId, '--jobmanager', cluster.address]);
    t.regex(stdout, /FAILED/);
    t.regex(stdout, /operator 'Explode'/);
    t.regex(stdout, /subtask [01]/);
    t.regex(stdout, /throwing\.ts/);
  });
});

test('a TaskManager started by hand reports the stack trace of a throwing user function at the job file and line', async (t) => {
  await withHandStartedCluster({ taskManagers: 1, slots: 2 }, async (_cluster, client) => {
    const status = await runToEnd(client, jobFile('throwing.ts'), [], 2);
    t.is(status.state, 'FAILED');
    t.regex(status.failure!.message, /cannot handle record 4321/);
    t.true(status.failure!.stack.includes(throwSite()), status.failure!.stack);
    t.false(status.failure!.stack.includes('.linked.mjs'), status.failure!.stack);
  });
});

test('kill -9 of a TaskManager fails the job within the heartbeat timeout with the reason', async (t) => {
  const timeout = 2000;
  await withCluster({ taskManagers: 2, heartbeatTimeoutMs: timeout }, async (cluster, client) => {
    const { jobId } = await submit(client, jobFile('chained.ts'), [], 2);
    for (let s = await client.status(jobId); s.vertices.some((v) => v.subtasks.some((x) => x.state !== 'RUNNING')); s = await client.status(jobId)) {
      await sleep(100);
    }
    const killedAt = Date.now();
    cluster.kill(cluster.taskManagers[1]!);
    const final = await client.waitForTermination(jobId, undefined, 100);
    const took = Date.now() - killedAt;
    t.is(final.state, 'FAILED');
    t.regex(final.failure!.message, /TaskManager tm-\w+ \(127\.0\.0\.1:\d+\) lost: no heartbeat for 2000 ms/);
    t.true(took < timeout + 1500, `detected after ${took} ms`);
  });
});

test('kill -9 of a TaskManager in the middle of a network exchange fails the job quickly', async (t) => {
  await withCluster({ taskManagers: 2, heartbeatTimeoutMs: 3000 }, async (cluster, client, dir) => {
    const { jobId } = await submit(client, jobFile('wordcount-generated.ts'), [dir + '/out'], 2);
    await sleep(1500);
    const killedAt = Date.now();
    cluster.kill(cluster.taskManagers[0]!);
    const final = await client.waitForTermination(jobId, undefined, 100);
    t.is(final.state, 'FAILED');
    t.true(final.failure!.message.length > 0);
    t.true(Date.now() - killedAt < 3000 + 1500);
  });
});

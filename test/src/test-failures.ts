import test from 'ava';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EddyClient } from '@eddy/sdk/client';
import { cliMain, eventually, jobFile, runToEnd, sinkRecordsIn, submit, withCluster } from './helpers/cluster.js';
import { withHandStartedCluster } from './helpers/hand-started.js';

const exec = promisify(execFile);

// These tests kill processes and time how fast the cluster notices: run one at a time, so that a busy
// machine does not add another cluster's load to the measured delays.

async function allRunning(client: EddyClient, jobId: string): Promise<void> {
  await eventually(async () => {
    const s = await client.status(jobId);
    return s.vertices.every((v) => v.subtasks.every((x) => x.state === 'RUNNING')) && sinkRecordsIn(s) > 0;
  }, 20_000, 'every subtask running and records at the sink');
}

/** `<job file>:<line>:` of the throw in test/jobs/throwing.ts: what a source-mapped stack frame names. */
function throwSite(): string {
  const file = jobFile('throwing.ts');
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
  return `${file}:${line}:`;
}

test.serial('a user function that throws fails the job, and status names the operator, subtask and stack', async (t) => {
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

test.serial('a TaskManager started by hand reports the stack trace of a throwing user function at the job file and line', async (t) => {
  await withHandStartedCluster({ taskManagers: 1, slots: 2 }, async (_cluster, client) => {
    const status = await runToEnd(client, jobFile('throwing.ts'), [], 2);
    t.is(status.state, 'FAILED');
    t.regex(status.failure!.message, /cannot handle record 4321/);
    t.true(status.failure!.stack.includes(throwSite()), status.failure!.stack);
    t.false(status.failure!.stack.includes('.linked.mjs'), status.failure!.stack);
  });
});

test.serial('kill -9 of a TaskManager is noticed from its dropped connection, long before the heartbeat timeout', async (t) => {
  const heartbeatTimeout = 30_000;
  await withCluster({ taskManagers: 2, heartbeatTimeoutMs: heartbeatTimeout }, async (cluster, client) => {
    const { jobId } = await submit(client, jobFile('chained.ts'), [], 2);
    await allRunning(client, jobId);
    const victim = cluster.taskManagers[1]!;
    const killedAt = Date.now();
    cluster.kill(victim);
    const final = await client.waitForTermination(jobId, undefined, 100);
    const took = Date.now() - killedAt;
    t.log(`failed ${took} ms after the kill`);
    t.is(final.state, 'FAILED');
    t.is(final.failure!.message, `TaskManager ${victim.taskManagerId} (127.0.0.1:${victim.port}) lost: its connection to the JobManager closed`);
    t.true(took < heartbeatTimeout / 6, `detected after ${took} ms`);
  });
});

test.serial('kill -9 of a TaskManager in the middle of a network exchange: its loss is the root cause, not the survivors\' broken channels', async (t) => {
  await withCluster({ taskManagers: 2, heartbeatTimeoutMs: 30_000 }, async (cluster, client, dir) => {
    const { jobId } = await submit(client, jobFile('wordcount-generated.ts'), [join(dir, 'out'), '20000'], 2);
    await allRunning(client, jobId);
    const victim = cluster.taskManagers[0]!;
    const victimId = victim.taskManagerId!;
    const killedAt = Date.now();
    cluster.kill(victim);
    const final = await client.waitForTermination(jobId, undefined, 100);
    const took = Date.now() - killedAt;
    t.log(`failed ${took} ms after the kill`);
    t.is(final.state, 'FAILED');
    t.regex(final.failure!.message, new RegExp(`^TaskManager ${victim.taskManagerId} \\(127\\.0\\.0\\.1:${victim.port}\\) lost: `));
    t.is(final.failure!.taskManager, victimId);
    t.true(took < 5000, `failed after ${took} ms`);
    const onVictim = final.vertices.flatMap((v) => v.subtasks).filter((s) => s.taskManager === victimId);
    t.true(onVictim.length > 0);
    t.deepEqual(onVictim.map((s) => s.state), onVictim.map(() => 'FAILED'));

    const json = JSON.parse((await exec(process.execPath, [cliMain, 'status', jobId, '--json', '--jobmanager', cluster.address])).stdout) as {
      failure: Record<string, unknown>;
    };
    t.like(json.failure, { message: final.failure!.message, taskManager: victimId, subtask: -1, peerFailure: false });
    const { stdout } = await exec(process.execPath, [cliMain, 'status', jobId, '--jobmanager', cluster.address]);
    t.regex(stdout, new RegExp(`failure: TaskManager ${victimId} .* lost: `));
    t.notRegex(stdout, /at on /);
  });
});

import test from 'ava';
import { eventually, jobFile, runToEnd, submit, withCluster } from './helpers/cluster.js';
import { eddy } from './helpers/eddy-cli.js';

test('a job that needs more slots than are free waits for them, says so in eddy status, and runs when a TaskManager joins', async (t) => {
  await withCluster({ taskManagers: 1 }, async (cluster, client) => {
    const { jobId } = await submit(client, jobFile('chained.ts'), [], 2);
    t.like(await client.status(jobId), { state: 'CREATED', slotWait: { slotsNeeded: 2, slotsFree: 1 } });
    const text = await eddy(['status', jobId, '--jobmanager', cluster.address]);
    t.regex(text.stdout, new RegExp(`^job ${jobId} 'test': CREATED, waiting for 2 slots \\(1 free\\) until `));
    const json = JSON.parse((await eddy(['status', jobId, '--json', '--jobmanager', cluster.address])).stdout) as { state: string; slotWait: object };
    t.like(json, { state: 'CREATED', slotWait: { slotsNeeded: 2, slotsFree: 1 } });

    await cluster.addTaskManager();
    const running = await eventually(async () => {
      const s = await client.status(jobId);
      return s.vertices.every((v) => v.subtasks.every((x) => x.state === 'RUNNING')) && s;
    }, 20_000, 'every subtask running');
    t.is(running.state, 'RUNNING');
    t.is(running.slotWait, undefined);
    t.is(await client.cancel(jobId), 'CANCELING');
  });
});

test('a job still waiting for slots after its slot wait timeout fails, saying how many it needs (per job, and per JobManager)', async (t) => {
  await withCluster({ taskManagers: 1, jobManagerArgs: ['--slot-wait-timeout', '1500'] }, async (cluster, client) => {
    const perJob = await eddy(['run', jobFile('too-parallel.ts'), '--jobmanager', cluster.address, '--slot-wait-timeout', '500']);
    t.is(perJob.code, 1);
    t.regex(perJob.stderr, /CREATED {3}waiting for 5 slots \(1 free\)/);
    t.regex(perJob.stderr, /job \w+ failed: the job needs 5 slots \(its highest operator parallelism\) but the cluster had 1 free when the slot wait timeout of 500 ms expired; lower -p or start more TaskManagers\n/);
    const byCluster = await runToEnd(client, jobFile('too-parallel.ts'), [], 1);
    t.is(byCluster.state, 'FAILED');
    t.regex(byCluster.failure!.message, /^the job needs 5 slots .* had 1 free when the slot wait timeout of 1500 ms expired/);
  });
});

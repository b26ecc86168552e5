import test from 'ava';
import { join } from 'node:path';
import { eventually, jobFile, logLines, outputBytes, repoRoot, runToEnd, sleep, submit, withCluster } from './helpers/cluster.js';

// kill -9 of the JobManager: TaskManagers must not run its tasks on for nobody, nor offer their busy
// slots to the next JobManager. One test at a time: they time how fast the TaskManagers react.

const words = join(repoRoot, 'examples/data/words.txt');

/** Waits until the sink files in `dir` stop growing for `quietMs`; returns how long that took. */
async function sinkStops(dir: string, quietMs: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last = outputBytes(dir);
  let lastChange = Date.now();
  for (;;) {
    await sleep(100);
    const now = outputBytes(dir);
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= quietMs) {
      return lastChange - started;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`the sink in ${dir} still grows ${timeoutMs} ms later (${now} bytes)`);
  }
}

test.serial('kill -9 of the JobManager: TaskManagers cancel its tasks after --jobmanager-timeout, say so once, and serve a restarted JobManager', async (t) => {
  const timeout = 1500;
  await withCluster({ taskManagers: 2, taskManagerArgs: ['--jobmanager-timeout', String(timeout)] }, async (cluster, client, dir) => {
    const out = join(dir, 'out');
    await submit(client, jobFile('wordcount-generated.ts'), [out, '5000'], 2);
    await eventually(() => outputBytes(out) > 0, 20_000, 'output');
    const killedAt = Date.now();
    cluster.kill(cluster.jobManager);
    const stoppedAfter = (await sinkStops(out, 1500, timeout * 6)) + 100;
    t.log(`the sink stopped growing ${Date.now() - killedAt - 1500} ms after the kill`);
    t.true(stoppedAfter >= timeout - 500, `stopped ${stoppedAfter} ms after the kill, before the JobManager timeout`);
    for (const tm of cluster.taskManagers) {
      // A task is canceled, or fails first because the other TaskManager canceled its partner.
      const ended = (): number => logLines(tm.logFile, 'task canceled').length + logLines(tm.logFile, 'task failed').length;
      await eventually(() => ended() === 2, 5000, `both tasks of ${tm.name} ended`);
      t.is(logLines(tm.logFile, 'jobmanager unreachable').length, 1, tm.name);
      t.is(logLines(tm.logFile, 'jobmanager lost: canceling its tasks').length, 1, tm.name);
      t.is(logLines(tm.logFile, 'heartbeat failed').length, 0, tm.name);
    }

    await cluster.restartJobManager();
    const overview = await eventually(async () => {
      const o = await client.overview().catch(() => undefined);
      return o !== undefined && o.taskManagers === 2 && o;
    }, 10_000, 'both TaskManagers registered with the new JobManager');
    t.like(overview, { slotsTotal: 2, slotsFree: 2 });
    for (const tm of cluster.taskManagers) {
      await eventually(() => logLines(tm.logFile, 'jobmanager reachable again').length === 1, 5000, `${tm.name} says the JobManager is back`);
      t.is(logLines(tm.logFile, 'jobmanager unreachable').length, 1, tm.name);
    }
    const rerun = await runToEnd(client, join(repoRoot, 'examples/wordcount.ts'), [words, join(dir, 'out2')], 2);
    t.is(rerun.state, 'FINISHED');
  });
});

test.serial('a JobManager restarted at once is told apart from the old one: its tasks are canceled at once and their slots are not handed out while busy', async (t) => {
  await withCluster({ taskManagers: 2, taskManagerArgs: ['--jobmanager-timeout', '60000'] }, async (cluster, client, dir) => {
    const out = join(dir, 'out');
    await submit(client, jobFile('wordcount-generated.ts'), [out, '5000'], 2);
    await eventually(() => outputBytes(out) > 0, 20_000, 'output');
    const killedAt = Date.now();
    cluster.kill(cluster.jobManager);
    await cluster.restartJobManager();
    // Submitted while the old tasks may still run: it needs both slots, so it must wait for them.
    const { jobId } = await submit(client, join(repoRoot, 'examples/wordcount.ts'), [words, join(dir, 'out2')], 2);
    await sinkStops(out, 1500, 15_000);
    t.log(`the old job's sink stopped growing ${Date.now() - killedAt - 1500} ms after the kill`);
    t.true(Date.now() - killedAt < 20_000, 'long before the 60 s JobManager timeout');
    for (const tm of cluster.taskManagers) {
      // The log file is written through a stream: a line logged a moment ago may not be in it yet.
      await eventually(() => logLines(tm.logFile, 'jobmanager replaced: canceling the tasks of the previous one').length > 0, 10_000, `${tm.name} logs the replacement`);
      t.is(logLines(tm.logFile, 'jobmanager replaced: canceling the tasks of the previous one').length, 1, tm.name);
      t.is(logLines(tm.logFile, 'jobmanager lost: canceling its tasks').length, 0, tm.name);
    }
    const final = await client.waitForTermination(jobId, undefined, 200);
    t.is(final.state, 'FINISHED');
    t.like(await client.overview(), { taskManagers: 2, slotsTotal: 2, slotsFree: 2 });
  });
});

import test from 'ava';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jobFile, readJsonLines, runToEnd, sleep, submit } from './helpers/cluster.js';
import { withHandStartedCluster } from './helpers/hand-started.js';

/** Every file or folder below `dir` whose name carries `jobId` (artifacts, keyed-state folders). */
function filesOfJob(dir: string, jobId: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.split('/').some((part) => part.includes(jobId)))
    .map((p) => relative(dir, join(dir, p)));
}

/** Waits (up to `ms`) for `f` to hold; the TaskManager cleans up just after it reports the end. */
async function eventually(f: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (f()) return true;
  return f();
}

test('a TaskManager removes the artifact and keyed state of finished, canceled and failed jobs', async (t) => {
  await withHandStartedCluster({ taskManagers: 1, slots: 2 }, async (cluster, client) => {
    const tmDir = cluster.taskManagerDirs[0]!;

    const out = join(cluster.dir, 'out');
    const finished = await runToEnd(client, jobFile('large-state.ts'), ['2000', out, '50'], 1);
    t.is(finished.state, 'FINISHED', JSON.stringify(finished.failure));
    t.is(readJsonLines<{ verified?: number }>(out).find((r) => r.verified !== undefined)?.verified, 2000, 'the job used its LevelDB state');

    const { jobId: unbounded } = await submit(client, jobFile('wordcount-generated.ts'), [join(cluster.dir, 'words'), '20000'], 2);
    for (let s = await client.status(unbounded); s.vertices.some((v) => v.subtasks.some((x) => x.state !== 'RUNNING')); s = await client.status(unbounded)) await sleep(100);
    t.true(await eventually(() => filesOfJob(tmDir, unbounded).some((p) => p.includes('state'))), 'the running job has keyed state on disk');
    await client.cancel(unbounded);
    t.is((await client.waitForTermination(unbounded, undefined, 100)).state, 'CANCELED');

    const failed = await runToEnd(client, jobFile('throwing.ts'), [], 2);
    t.is(failed.state, 'FAILED');

    for (const jobId of [finished.jobId, unbounded, failed.jobId]) {
      t.true(await eventually(() => filesOfJob(tmDir, jobId).length === 0), `left behind: ${filesOfJob(tmDir, jobId).join(', ')}`);
    }
  });
});

test('a job canceled while its tasks are still loading stops on every slot at once and leaves no files', async (t) => {
  await withHandStartedCluster({ taskManagers: 1, slots: 2 }, async (cluster, client) => {
    const tmDir = cluster.taskManagerDirs[0]!;
    const { jobId } = await submit(client, jobFile('slow-loading.ts'), [], 2);
    // Slot 0 runs its tasks (they keep state) while slot 1 spends 2 s loading the job module: the
    // cancel arrives in the middle of that.
    t.true(await eventually(() => existsSync(join(tmDir, 'slot-0', 'state', jobId))));
    const canceledAt = Date.now();
    await client.cancel(jobId);
    const final = await client.waitForTermination(jobId, undefined, 100);
    t.is(final.state, 'CANCELED');
    // Well within the JobManager's 10 s cancel timeout, which would otherwise declare it CANCELED
    // while its tasks start and run on.
    t.true(Date.now() - canceledAt < 6000, `canceled after ${Date.now() - canceledAt} ms`);
    t.true(await eventually(() => filesOfJob(tmDir, jobId).length === 0), `left behind: ${filesOfJob(tmDir, jobId).join(', ')}`);
  });
});

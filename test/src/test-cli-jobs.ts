import test from 'ava';
import { rmSync } from 'node:fs';
import { jobFile, tempDir, withCluster } from './helpers/cluster.js';
import { eddy, lines } from './helpers/eddy-cli.js';

interface FinalJson {
  state: string;
  vertices: { parallelism: number }[];
}

test('cli: local and run give a job the same default parallelism, 1', async (t) => {
  const dir = tempDir('cli-default-p');
  try {
    const local = await eddy(['local', jobFile('bounded-count.ts'), '--json', '--dir', dir]);
    t.is(local.code, 0, local.stderr);
    const localFinal = JSON.parse(local.stdout) as FinalJson;
    await withCluster({ taskManagers: 1, slotsPerTaskManager: 2 }, async (cluster) => {
      const run = await eddy(['run', jobFile('bounded-count.ts'), '--json', '-m', cluster.address]);
      t.is(run.code, 0, run.stderr);
      const runFinal = JSON.parse(run.stdout) as FinalJson;
      t.deepEqual(runFinal.vertices.map((v) => v.parallelism), [1, 1]);
      t.deepEqual(localFinal.vertices.map((v) => v.parallelism), [1, 1]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: the final progress line is printed once and counts the subtasks in their final state', async (t) => {
  const dir = tempDir('cli-progress');
  try {
    // ~2.5 s of records, so the job outlives several progress lines
    const r = await eddy(['local', jobFile('bounded-count.ts'), '-p', '2', '--dir', dir, '--', '2500', '1000']);
    t.is(r.code, 0, r.stderr);
    const progress = lines(r.stderr).filter((l) => /^\[\s*[\d.]+s\]/.test(l));
    const final = progress.filter((l) => / FINISHED /.test(l));
    t.is(final.length, 1, r.stderr);
    t.is(progress[progress.length - 1], final[0]);
    t.regex(final[0]!, /Source: Generator \[2\/2 finished\]/);
    t.true(progress.some((l) => /\[2\/2 running\]/.test(l)), r.stderr);
    t.regex(r.stdout, /^job \w+ finished in [\d.]+ s$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

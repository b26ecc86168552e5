import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLogger } from '@eddy/common';
import { JobFiles, type JobFileRetention } from '../job-files.js';

const quiet = new JsonLogger({}, 'error', () => {});
const fetchOf = (text: string) => () => Promise.resolve({ artifact: new TextEncoder().encode(text), args: ['a'] });

function dataDir(t: { teardown(f: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-job-files-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A keyed task's state folder as a slot worker creates it. */
function stateOf(dir: string, slot: number, jobId: string, task: string): string {
  const path = join(dir, `slot-${slot}`, 'state', jobId, task);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'CURRENT'), 'MANIFEST-000002\n');
  return path;
}

async function eventually(f: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  return f();
}

test('job-files: the artifact and every slot\'s state of a job go when its last attempt here ends, not before', async (t) => {
  const dir = dataDir(t);
  const files = new JobFiles(dir, quiet);
  files.attemptStarted('job1', 'att1');
  files.attemptStarted('job1', 'att2');
  files.attemptStarted('job2', 'att3');
  const artifact = await files.artifact('job1', fetchOf('one'));
  t.is(readFileSync(artifact.path, 'utf8'), 'one');
  t.deepEqual(artifact.args, ['a']);
  const s0 = stateOf(dir, 0, 'job1', 'v-0-att1');
  const s1 = stateOf(dir, 1, 'job1', 'v-1-att2');
  const other = stateOf(dir, 0, 'job2', 'v-0-att3');
  files.attemptEnded('att1');
  await new Promise((r) => setTimeout(r, 50));
  t.true(existsSync(artifact.path) && existsSync(s0) && existsSync(s1), 'att2 still runs');
  files.attemptEnded('att2');
  t.true(await eventually(() => !existsSync(join(dir, 'artifacts/job1')) && !existsSync(join(dir, 'slot-0/state/job1')) && !existsSync(join(dir, 'slot-1/state/job1'))));
  t.true(existsSync(other), 'another job keeps its files');
});

test('job-files: a job deployed again after its files went fetches its artifact again', async (t) => {
  const dir = dataDir(t);
  const files = new JobFiles(dir, quiet);
  files.attemptStarted('job1', 'att1');
  await files.artifact('job1', fetchOf('v1'));
  files.attemptEnded('att1');
  // Deployed again while the removal may still run: the new artifact must survive it.
  files.attemptStarted('job1', 'att2');
  const again = await files.artifact('job1', fetchOf('v2'));
  await new Promise((r) => setTimeout(r, 50));
  t.is(readFileSync(again.path, 'utf8'), 'v2');
});

test('job-files: what the retention policy keeps stays', async (t) => {
  const dir = dataDir(t);
  const keepState: JobFileRetention = { keep: (f) => f.kind === 'keyed-state' && f.path.endsWith('att1') };
  const files = new JobFiles(dir, quiet, keepState);
  files.attemptStarted('job1', 'att1');
  await files.artifact('job1', fetchOf('x'));
  const kept = stateOf(dir, 0, 'job1', 'v-0-att1');
  const dropped = stateOf(dir, 0, 'job1', 'v-1-att0');
  files.attemptEnded('att1');
  t.true(await eventually(() => !existsSync(join(dir, 'artifacts/job1')) && !existsSync(dropped)));
  t.true(existsSync(kept));
});

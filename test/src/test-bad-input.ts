import test from 'ava';
import { EddyClient } from '@eddy/sdk/client';
import { jobFile, withCluster } from './helpers/cluster.js';
import { eddy } from './helpers/eddy-cli.js';

test('a forward edge between different parallelisms is rejected before submission', async (t) => {
  const e = await t.throwsAsync(EddyClient.prepare(jobFile('forward-mismatch.ts'), [], 2, 'x'));
  t.regex(e!.message, /forward edge .* joins parallelism 1 to 2: use rebalance\(\)/);
});

test('a job module without a default export is rejected with what to write', async (t) => {
  const e = await t.throwsAsync(EddyClient.prepare(jobFile('no-default.ts'), [], 1, 'x'));
  t.regex(e!.message, /no default export built with defineJob\(\)/);
});

test('a job module that does not compile is rejected with the file and line', async (t) => {
  const e = await t.throwsAsync(EddyClient.prepare(jobFile('broken-syntax.ts'), [], 1, 'x'));
  t.regex(e!.message, /broken-syntax\.ts:4:\d+/);
});

test('bad CLI arguments give one-line errors and exit code 2', async (t) => {
  const unknown = await eddy(['frobnicate']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /^eddy: unknown command 'frobnicate'/);
  const badP = await eddy(['local', 'examples/wordcount.ts', '-p', 'two']);
  t.is(badP.code, 2);
  t.regex(badP.stderr, /--parallelism must be an integer >= 1, got 'two'/);
  const noJob = await eddy(['run']);
  t.is(noJob.code, 2);
  const badFlag = await eddy(['list', '--bogus']);
  t.is(badFlag.code, 2);
  t.regex(badFlag.stderr, /Unknown option '--bogus'/);
  const tm = await eddy(['taskmanager']);
  t.is(tm.code, 2);
  t.regex(tm.stderr, /--jobmanager host:port is required/);
  const help = await eddy(['status', '--help']);
  t.is(help.code, 0);
  t.regex(help.stdout, /eddy status <job-id>/);
});

test('a client that cannot reach the JobManager says so and exits 1', async (t) => {
  const r = await eddy(['list', '--jobmanager', '127.0.0.1:1']);
  t.is(r.code, 1);
  t.regex(r.stderr, /cannot reach 127\.0\.0\.1:1/);
});

test('a TaskManager that cannot reach the JobManager gives up with a clear message', async (t) => {
  const r = await eddy(['taskmanager', '--jobmanager', '127.0.0.1:1', '--data-dir', '/tmp/eddy-tm-unreachable', '--register-timeout', '1500']);
  t.is(r.code, 1);
  t.regex(r.stderr, /cannot register with the JobManager at 127\.0\.0\.1:1/);
});

test('status of an unknown job is a clear not-found error', async (t) => {
  await withCluster({ taskManagers: 1 }, async (cluster) => {
    const r = await eddy(['status', 'nosuchjob', '--jobmanager', cluster.address]);
    t.is(r.code, 1);
    t.regex(r.stderr, /nosuchjob/);
  });
});

test('with a token configured, calls without it are refused', async (t) => {
  await withCluster({ taskManagers: 1, token: 's3cret' }, async (cluster) => {
    const denied = await eddy(['list', '--jobmanager', cluster.address]);
    t.is(denied.code, 1);
    t.regex(denied.stderr, /token/);
    const ok = await eddy(['list', '--jobmanager', cluster.address, '--token', 's3cret']);
    t.is(ok.code, 0, ok.stderr);
  });
});

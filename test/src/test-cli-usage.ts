import test from 'ava';
import { createServer, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers/cluster.js';
import { eddy, lines } from './helpers/eddy-cli.js';

// Each is wrong on the command line alone, so none of them may reach a cluster or bind a port.
const USAGE_ERRORS: [string[], RegExp][] = [
  [['status'], /^eddy: status: missing the job id/],
  [['cancel'], /^eddy: cancel: missing the job id/],
  [['jobmanager', '--port', 'abc'], /^eddy: jobmanager: --port must be an integer from 0 to 65535, got 'abc'$/],
  [['jobmanager', '--port', '70000'], /^eddy: jobmanager: --port must be an integer from 0 to 65535, got '70000'$/],
  [['jobmanager', '--heartbeat-timeout', '5'], /^eddy: jobmanager: --heartbeat-timeout must be an integer >= 50, got '5'$/],
  [['taskmanager', '-m', '127.0.0.1:1', '--slots', '0'], /^eddy: taskmanager: --slots must be an integer >= 1, got '0'$/],
  [['local', 'examples/wordcount.ts', '-p', '-1'], /^eddy: local: --parallelism must be an integer >= 1, got '-1'$/],
  [['run', 'examples/wordcount.ts', '-p', '-1'], /^eddy: run: --parallelism must be an integer >= 1, got '-1'$/],
  [['local', 'examples/wordcount.ts', '--slots=-3'], /^eddy: local: --slots must be an integer >= 1, got '-3'$/],
];

test('cli: every usage error exits 2 with one line that names its command once and says what is wrong', async (t) => {
  for (const [args, expected] of USAGE_ERRORS) {
    const r = await eddy(args);
    const what = `eddy ${args.join(' ')}`;
    t.is(r.code, 2, what);
    t.deepEqual(lines(r.stderr).length, 1, `${what}: ${r.stderr}`);
    t.regex(r.stderr.trim(), expected, what);
    t.notRegex(r.stderr, /\b(\w+): \1:/, `${what}: a doubled prefix`);
  }
});

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

test('cli: a server that cannot bind its port says so in one line, without grpc-js log lines', async (t) => {
  const busy = await listen();
  const port = (busy.address() as { port: number }).port;
  const dir = tempDir('busy-port');
  try {
    const jm = await eddy(['jobmanager', '--port', String(port), '--data-dir', join(dir, 'jm')]);
    t.is(jm.code, 1);
    t.deepEqual(lines(jm.stderr), [`eddy: jobmanager: cannot listen on 127.0.0.1:${port}: address already in use`]);
    const tm = await eddy(['taskmanager', '-m', '127.0.0.1:1', '--port', String(port), '--data-dir', join(dir, 'tm')]);
    t.is(tm.code, 1);
    t.deepEqual(lines(tm.stderr), [`eddy: taskmanager: cannot listen on 127.0.0.1:${port}: address already in use`]);
  } finally {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cli: every client command's --help names --token and $EDDY_TOKEN", async (t) => {
  for (const cmd of ['run', 'list', 'status', 'cancel', 'savepoint', 'stop']) {
    const r = await eddy([cmd, '--help']);
    t.is(r.code, 0, cmd);
    t.regex(r.stdout, /--token T/, cmd);
    t.regex(r.stdout, /\$EDDY_TOKEN/, cmd);
    t.regex(r.stdout, /--jobmanager/, cmd);
  }
});

test('cli: local and run document the same -p default and what Ctrl-C does', async (t) => {
  const local = await eddy(['local', '--help']);
  const run = await eddy(['run', '--help']);
  const pDefault = (help: string): string | undefined => /-p, --parallelism N .*\(default (\d+)/.exec(help)?.[1];
  t.is(pDefault(local.stdout), '1');
  t.is(pDefault(run.stdout), '1');
  t.regex(local.stdout, /Ctrl-C stops the local cluster/);
  t.regex(run.stdout, /Ctrl-C cancels the job/);
});

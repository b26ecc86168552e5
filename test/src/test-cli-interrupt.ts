import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cliMain, jobFile, sleep, tempDir, withCluster } from './helpers/cluster.js';

interface Interrupted {
  code: number | null;
  stderr: string;
}

/**
 * Starts `eddy ...args` in a process group of its own, waits until a progress line shows the job
 * running, then sends `signal` to `target`: 'group' is what Ctrl-C in a terminal does (every process of
 * the foreground group gets it, a local cluster's children too), 'cli' only the eddy process.
 */
function interruptWhenRunning(args: string[], target: 'group' | 'cli', signal: NodeJS.Signals = 'SIGINT'): Promise<Interrupted & { pid: number }> {
  const child = spawn(process.execPath, [cliMain, ...args], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = child.pid!;
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && /\[1\/1 running\]/.test(stderr)) {
      sent = true;
      process.kill(target === 'group' ? -pid : pid, signal);
    }
  });
  // A run that never gets going (or ignores SIGINT) must not outlive the test.
  const guard = setTimeout(() => killGroup(pid), 40_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, pid });
    }),
  );
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to 2 s: eddy's esbuild helper, in the same group, stays a zombie until it is reaped. */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(100);
}

test('cli: Ctrl-C on eddy local stops the local cluster and exits 130', async (t) => {
  t.timeout(60_000);
  const dir = tempDir('cli-sigint-local');
  let pid: number | undefined;
  try {
    const r = await interruptWhenRunning(['local', jobFile('chained.ts'), '-p', '1', '--dir', dir], 'group');
    pid = r.pid;
    t.is(r.code, 130, r.stderr);
    t.regex(r.stderr, /interrupted \(SIGINT\): stopping the local cluster/);
    t.notRegex(r.stderr, /cannot reach/);
    // the JobManager and TaskManager were in eddy's process group: none of them is left
    await groupGone(r.pid);
    t.false(groupAlive(r.pid), 'a cluster process outlived eddy local');
  } finally {
    // assertions throw: whatever is left of the group goes here
    if (pid !== undefined) killGroup(pid);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: SIGTERM to eddy local alone stops its cluster too and exits 143', async (t) => {
  t.timeout(60_000);
  const dir = tempDir('cli-sigterm-local');
  let pid: number | undefined;
  try {
    const r = await interruptWhenRunning(['local', jobFile('chained.ts'), '-p', '1', '--dir', dir], 'cli', 'SIGTERM');
    pid = r.pid;
    t.is(r.code, 143, r.stderr);
    t.regex(r.stderr, /interrupted \(SIGTERM\): stopping the local cluster/);
    await groupGone(r.pid);
    t.false(groupAlive(r.pid), 'a cluster process outlived eddy local');
  } finally {
    if (pid !== undefined) killGroup(pid);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: Ctrl-C on eddy run cancels the job, waits for it and exits 130', async (t) => {
  t.timeout(60_000);
  await withCluster({ taskManagers: 1 }, async (cluster, client) => {
    const r = await interruptWhenRunning(['run', jobFile('chained.ts'), '-p', '1', '-m', cluster.address], 'cli');
    t.is(r.code, 130, r.stderr);
    const id = /submitted job (\w+)/.exec(r.stderr)?.[1];
    t.truthy(id, r.stderr);
    t.regex(r.stderr, new RegExp(`canceling job ${id}`));
    t.regex(r.stderr, /CANCELED/);
    t.is((await client.status(id!)).state, 'CANCELED');
  });
});

/** Starting real clusters for tests, running job files on them, and reading their output. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalCluster, type LocalClusterOptions } from '@eddy/cli';
import { EddyClient, type JobStatusView, type PreparedJob } from '@eddy/sdk/client';

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const jobFile = (name: string): string => join(repoRoot, 'test/jobs', name);
export const cliMain = join(repoRoot, 'packages/cli/lib/main.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `eddy-${prefix}-`));
}

export async function withCluster<T>(
  options: Partial<LocalClusterOptions> & { taskManagers: number },
  body: (cluster: LocalCluster, client: EddyClient, dir: string) => Promise<T>,
): Promise<T> {
  const dir = tempDir('cluster');
  const cluster = await LocalCluster.start({ slotsPerTaskManager: 1, taskManagerStdout: 'ignore', dir, ...options });
  const client = new EddyClient({ jobManager: cluster.address, ...(options.token ? { token: options.token } : {}) });
  try {
    return await body(cluster, client, dir);
  } finally {
    client.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function submit(client: EddyClient, file: string, args: string[], parallelism: number): Promise<{ jobId: string; job: PreparedJob }> {
  const job = await EddyClient.prepare(file, args, parallelism, 'test');
  return { jobId: await client.submit(job), job };
}

export async function runToEnd(client: EddyClient, file: string, args: string[], parallelism: number): Promise<JobStatusView> {
  const { jobId } = await submit(client, file, args, parallelism);
  return client.waitForTermination(jobId, undefined, 200);
}

/** Every JSON line of every part file in `dir`. */
export function readJsonLines<T>(dir: string): T[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith('part-'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== ''))
    .map((l) => JSON.parse(l) as T);
}

export function sinkRecordsIn(s: JobStatusView): number {
  const sink = s.vertices[s.vertices.length - 1];
  return sink ? sink.subtasks.reduce((a, t) => a + (t.recordsIn ?? 0), 0) : 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Bytes written so far to the part files in `dir` (0 when there are none yet). */
export function outputBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((f) => f.startsWith('part-'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** The JSON log lines of a cluster process whose `msg` is `msg`. */
export function logLines(logFile: string, msg: string): Record<string, unknown>[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.msg === msg);
}

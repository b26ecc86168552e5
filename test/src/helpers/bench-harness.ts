/** Running the benchmark harness (bench/lib/main.js) as a real process, bounded in time. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cluster.js';

export interface HarnessRun {
  /** Exit code; null when the harness was killed for running past its time bound. */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly elapsedMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bench/lib/main.js ...args`. The harness gets its own process group, so that on the time
 * bound it is killed together with the engine processes it started (a hung harness must not leave a
 * cluster behind).
 */
export function runHarness(args: string[], timeoutMs: number): Promise<HarnessRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(repoRoot, 'bench/lib/main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, elapsedMs: Date.now() - started, stdout, stderr });
    });
  });
}

export interface HarnessResults {
  results: { query: string; throughput: { engine: string; outputs: number }[] }[];
}

/** The results JSON a finished run printed the path of ("results: FILE"); the file is removed. */
export function takeResults(run: HarnessRun): HarnessResults {
  const file = /^results: (.+)$/m.exec(run.stdout)?.[1];
  if (file === undefined) throw new Error(`the harness printed no results file (exit ${run.code}): ${run.stderr.slice(-2000)}`);
  const results = JSON.parse(readFileSync(file, 'utf8')) as HarnessResults;
  rmSync(file, { force: true });
  return results;
}

/** Whether a JDK for the Flink baseline is on the PATH. */
export function hasJava(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

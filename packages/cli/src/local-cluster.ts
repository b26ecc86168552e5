/**
 * An embedded cluster of real processes on loopback: one JobManager and N TaskManagers started as child
 * processes of this CLI, with their logs in files. Used by `eddy local` and by the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));

export interface LocalClusterOptions {
  taskManagers: number;
  slotsPerTaskManager: number;
  /** Logs and data go below it. */
  dir: string;
  token?: string;
  heartbeatTimeoutMs?: number;
  /** Extra `eddy jobmanager` arguments, e.g. ['--slot-wait-timeout', '1000']. */
  jobManagerArgs?: string[];
  /** Where TaskManagers' standard output (print sinks) goes. @default this process's stdout */
  taskManagerStdout?: NodeJS.WritableStream | 'ignore';
  env?: Record<string, string>;
  /** Extra node flags for TaskManagers, e.g. --max-old-space-size=64. */
  taskManagerNodeArgs?: string[];
  /** Extra `eddy taskmanager` arguments, e.g. ['--slot-heap-mb', '64']. */
  taskManagerArgs?: string[];
}

export interface ClusterProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly logFile: string;
  /** The TaskManager's id (what job status shows); undefined for the JobManager. */
  readonly taskManagerId?: string;
}

export class LocalCluster {
  readonly taskManagers: ClusterProcess[] = [];
  jobManager!: ClusterProcess;
  private readonly logs: WriteStream[] = [];
  private jobManagerStarts = 0;

  private constructor(readonly options: LocalClusterOptions) {}

  get address(): string {
    return `127.0.0.1:${this.jobManager.port}`;
  }

  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    const c = new LocalCluster(options);
    mkdirSync(options.dir, { recursive: true });
    try {
      c.jobManager = await c.launchJobManager(0);
      await Promise.all(
        Array.from({ length: options.taskManagers }, (_, i) =>
          c.launch(`taskmanager-${i + 1}`, ['taskmanager', '--jobmanager', c.address, '--slots', String(options.slotsPerTaskManager),
            '--data-dir', join(options.dir, `taskmanager-${i + 1}`), ...(options.taskManagerArgs ?? [])], 'taskmanager started', options.taskManagerNodeArgs).then((p) => c.taskManagers.push(p)),
        ),
      );
    } catch (e) {
      await c.stop();
      throw e;
    }
    return c;
  }

  /**
   * Starts a new JobManager on the port of the current one, which must have exited (failure tests kill
   * it first). TaskManagers keep their address and find the new one there.
   */
  async restartJobManager(): Promise<ClusterProcess> {
    const old = this.jobManager.child;
    if (old.exitCode === null && old.signalCode === null) {
      if (!old.killed) throw new Error('the JobManager still runs: kill it first');
      await new Promise((resolve) => old.once('exit', resolve)); // the signal is sent, the exit not seen yet
    }
    this.jobManager = await this.launchJobManager(this.jobManager.port);
    return this.jobManager;
  }

  private launchJobManager(port: number): Promise<ClusterProcess> {
    const o = this.options;
    const args = ['jobmanager', '--port', String(port), '--data-dir', join(o.dir, 'jobmanager')];
    if (o.heartbeatTimeoutMs !== undefined) args.push('--heartbeat-timeout', String(o.heartbeatTimeoutMs));
    args.push(...(o.jobManagerArgs ?? []));
    this.jobManagerStarts++;
    return this.launch(this.jobManagerStarts === 1 ? 'jobmanager' : `jobmanager-${this.jobManagerStarts}`, args, 'jobmanager started');
  }

  /** Starts one more TaskManager. */
  addTaskManager(): Promise<ClusterProcess> {
    const i = this.taskManagers.length + 1;
    return this.launch(`taskmanager-${i}`, ['taskmanager', '--jobmanager', this.address, '--slots', String(this.options.slotsPerTaskManager),
      '--data-dir', join(this.options.dir, `taskmanager-${i}`), ...(this.options.taskManagerArgs ?? [])], 'taskmanager started', this.options.taskManagerNodeArgs).then((p) => {
      this.taskManagers.push(p);
      return p;
    });
  }

  private launch(name: string, args: string[], readyMsg: string, nodeArgs: string[] = []): Promise<ClusterProcess> {
    const logFile = join(this.options.dir, `${name}.log`);
    const log = createWriteStream(logFile);
    this.logs.push(log);
    const tokenArgs = this.options.token ? ['--token', this.options.token] : [];
    const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, CLI, ...args, ...tokenArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
    });
    const out = this.options.taskManagerStdout ?? process.stdout;
    if (out === 'ignore') child.stdout!.resume();
    else child.stdout!.pipe(out as NodeJS.WritableStream, { end: false });
    return new Promise((resolve, reject) => {
      let ready = false;
      const lines = createInterface({ input: child.stderr! });
      lines.on('line', (line) => {
        log.write(line + '\n');
        if (ready) return;
        try {
          const rec = JSON.parse(line) as { msg?: string; port?: number; taskManagerId?: string };
          if (rec.msg === readyMsg && typeof rec.port === 'number') {
            ready = true;
            resolve({ name, child, port: rec.port, logFile, ...(typeof rec.taskManagerId === 'string' ? { taskManagerId: rec.taskManagerId } : {}) });
          }
        } catch {
          // not a structured line
        }
      });
      child.on('exit', (code, signal) => {
        if (!ready) reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}); see ${logFile}`));
      });
    });
  }

  /** SIGKILL one process (failure tests). */
  kill(p: ClusterProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
    p.child.kill(signal);
  }

  async stop(): Promise<void> {
    const all = [...this.taskManagers, ...(this.jobManager ? [this.jobManager] : [])];
    await Promise.all(all.map((p) => stopProcess(p.child)));
    for (const l of this.logs) l.end();
  }
}

/** Stops a child process: SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Test harness: a real JobManager on 127.0.0.1 with fake TaskManagers and a Dispatcher client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DispatcherService, createClient, silentLogger, type ClosableClient } from '@eddy/common';
import { JobManager, type JobManagerOptions } from '../../index.js';
import { FakeTaskManager } from './fake-task-manager.js';

export interface TestCluster {
  readonly jm: JobManager;
  readonly tms: FakeTaskManager[];
  readonly client: ClosableClient<typeof DispatcherService.methods>;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startCluster(opts: { slots?: number[]; token?: string; jm?: JobManagerOptions; heartbeatMs?: number } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'eddy-jm-test-'));
  const jm = await JobManager.start({ port: 0, dataDir: join(dir, 'data'), logger: silentLogger, token: opts.token, ...opts.jm });
  const tms: FakeTaskManager[] = [];
  for (const [i, slots] of (opts.slots ?? [2, 2]).entries()) {
    const tm = await FakeTaskManager.start({ id: `tm-${i + 1}`, jobManagerPort: jm.port, slots, token: opts.token, dataPortBase: 40_000 + 100 * (i + 1) });
    await tm.register();
    tm.startHeartbeats(opts.heartbeatMs ?? 200);
    tms.push(tm);
  }
  const client = createClient(DispatcherService, `127.0.0.1:${jm.port}`, { token: opts.token, defaultDeadlineMs: 5000 });
  return {
    jm,
    tms,
    client,
    dir,
    async close() {
      client.close();
      await Promise.all(tms.map((tm) => tm.close()));
      await jm.close();
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

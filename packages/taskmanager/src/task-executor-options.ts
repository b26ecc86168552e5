/** TaskManager options, compiled once: validated, defaults filled. */
import { resolve } from 'node:path';
import { ValidationError, type Logger, JsonLogger } from '@eddy/common';

export interface TaskExecutorOptions {
  /** host:port of the JobManager. */
  jobManager: string;
  /** Slots, each a worker thread. @default 1 */
  slots?: number;
  /** Address this TaskManager advertises and listens on. @default '127.0.0.1' */
  host?: string;
  /** gRPC port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '.eddy/taskmanager' */
  dataDir?: string;
  token?: string;
  /** How long to keep trying to reach the JobManager at start. @default 30000 */
  registrationTimeoutMs?: number;
  /**
   * How long the JobManager may be unreachable before this TaskManager cancels every task it deployed
   * (a JobManager that comes back with another identity has them canceled at once). @default 10000
   */
  jobManagerTimeoutMs?: number;
  /** Heap limit of each slot's worker thread, in MiB (V8's old generation). @default V8's default */
  slotHeapMb?: number;
  logger?: Logger;
}

export interface CompiledTaskExecutorOptions {
  jobManager: string;
  slots: number;
  host: string;
  port: number;
  dataDir: string;
  token: string | undefined;
  registrationTimeoutMs: number;
  jobManagerTimeoutMs: number;
  slotHeapMb: number | undefined;
  logger: Logger;
}

export function compileTaskExecutorOptions(o: TaskExecutorOptions): CompiledTaskExecutorOptions {
  if (!/^[^:\s]+:\d{1,5}$/.test(o.jobManager ?? '')) {
    throw new ValidationError(`--jobmanager must be host:port, got '${o.jobManager ?? ''}'`);
  }
  const slots = o.slots ?? 1;
  if (!Number.isInteger(slots) || slots < 1 || slots > 256) throw new ValidationError(`--slots must be an integer in [1, 256], got ${o.slots}`);
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`--port must be in [0, 65535], got ${o.port}`);
  const jobManagerTimeoutMs = o.jobManagerTimeoutMs ?? 10_000;
  if (!Number.isInteger(jobManagerTimeoutMs) || jobManagerTimeoutMs < 1) {
    throw new ValidationError(`--jobmanager-timeout must be a positive integer of milliseconds, got ${o.jobManagerTimeoutMs}`);
  }
  return {
    jobManager: o.jobManager,
    slots,
    host: o.host ?? '127.0.0.1',
    port,
    dataDir: resolve(o.dataDir ?? '.eddy/taskmanager'),
    token: o.token,
    registrationTimeoutMs: o.registrationTimeoutMs ?? 30_000,
    jobManagerTimeoutMs,
    slotHeapMb: o.slotHeapMb,
    logger: o.logger ?? new JsonLogger({ component: 'taskmanager' }),
  };
}

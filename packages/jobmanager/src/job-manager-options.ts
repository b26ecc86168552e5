/**
 * JobManagerOptions: what a user may set, all optional. `compileJobManagerOptions` validates them once
 * and fills defaults; only the compiled form reaches runtime code.
 */
import { join, resolve } from 'node:path';
import { JsonLogger, ValidationError, type Logger } from '@eddy/common';

export interface JobManagerOptions {
  /** Address the gRPC server (and the metrics server) listens on. @default '127.0.0.1' */
  host?: string;
  /** gRPC port; 0 picks any free port. @default 6123 */
  port?: number;
  /** Where job artifacts and job descriptions are stored. @default '.eddy/jobmanager' */
  dataDir?: string;
  /**
   * Where jobs that enable checkpointing keep their checkpoints (`<dir>/<job-id>/chk-<n>/`, `shared/`);
   * TaskManagers write there too, so on several machines it must be a shared filesystem.
   * @default '<dataDir>/checkpoints'
   */
  checkpointDir?: string;
  /** When set, every RPC must carry `authorization: Bearer <token>`; also sent to TaskManagers. */
  token?: string;
  /** How often TaskManagers are asked to heartbeat. @default 1000 */
  heartbeatIntervalMs?: number;
  /** A TaskManager without a heartbeat for this long is lost. @default 10000 */
  heartbeatTimeoutMs?: number;
  /**
   * How long a job may wait for free slots before it fails; a job may ask for another time when it is
   * submitted. @default 300000 (5 minutes)
   */
  slotWaitTimeoutMs?: number;
  /** Port of the HTTP Prometheus endpoint `/metrics`; 0 picks any free port; undefined = off. */
  metricsPort?: number;
  /** @default a JsonLogger on stderr with `component: 'jobmanager'` */
  logger?: Logger;
  /** Milliseconds since the epoch; injected so tests control time. @default Date.now */
  clock?: () => number;
}

export interface CompiledJobManagerOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly token: string | undefined;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly slotWaitTimeoutMs: number;
  /** Absolute. */
  readonly checkpointDir: string;
  readonly metricsPort: number | undefined;
  readonly logger: Logger;
  readonly clock: () => number;
}

/** Validates `o` and fills defaults; throws a ValidationError naming the first bad option. */
export function compileJobManagerOptions(o: JobManagerOptions = {}): CompiledJobManagerOptions {
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') throw new ValidationError(`host must be a non-empty string, got '${String(host)}'`);
  const port = checkPort('port', o.port ?? 6123);
  const dataDir = o.dataDir ?? '.eddy/jobmanager';
  if (typeof dataDir !== 'string' || dataDir.trim() === '') throw new ValidationError('dataDir must be a non-empty path');
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token === '' || /[\r\n]/.test(o.token))) {
    throw new ValidationError('token must be a non-empty string on one line');
  }
  const heartbeatIntervalMs = checkPositiveInt('heartbeatIntervalMs', o.heartbeatIntervalMs ?? 1000);
  const heartbeatTimeoutMs = checkPositiveInt('heartbeatTimeoutMs', o.heartbeatTimeoutMs ?? 10_000);
  if (heartbeatTimeoutMs <= heartbeatIntervalMs) {
    throw new ValidationError(
      `heartbeatTimeoutMs (${heartbeatTimeoutMs}) must be greater than heartbeatIntervalMs (${heartbeatIntervalMs})`,
    );
  }
  const slotWaitTimeoutMs = checkPositiveInt('slotWaitTimeoutMs', o.slotWaitTimeoutMs ?? 300_000);
  const metricsPort = o.metricsPort === undefined ? undefined : checkPort('metricsPort', o.metricsPort);
  if (o.checkpointDir !== undefined && (typeof o.checkpointDir !== 'string' || o.checkpointDir.trim() === '')) {
    throw new ValidationError('checkpointDir must be a non-empty path');
  }
  const checkpointDir = resolve(o.checkpointDir ?? join(dataDir, 'checkpoints'));
  if (o.clock !== undefined && typeof o.clock !== 'function') throw new ValidationError('clock must be a function');
  return {
    host,
    port,
    dataDir,
    token: o.token,
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    slotWaitTimeoutMs,
    checkpointDir,
    metricsPort,
    logger: o.logger ?? new JsonLogger({ component: 'jobmanager' }),
    clock: o.clock ?? Date.now,
  };
}

function checkPort(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new ValidationError(`${name} must be an integer in [0, 65535], got ${v}`);
  return v;
}

function checkPositiveInt(name: string, v: number): number {
  // The proto carries these as uint32 milliseconds.
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new ValidationError(`${name} must be a positive integer of milliseconds, got ${v}`);
  return v;
}

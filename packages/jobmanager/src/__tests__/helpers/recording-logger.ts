/** A Logger that keeps what it is told, for tests that check what was logged. */
import type { LogMeta, Logger } from '@eddy/common';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly meta: LogMeta;
}

export function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const make = (base: LogMeta): Logger => ({
    debug: (msg, meta) => void records.push({ level: 'debug', msg, meta: { ...base, ...meta } }),
    info: (msg, meta) => void records.push({ level: 'info', msg, meta: { ...base, ...meta } }),
    warn: (msg, meta) => void records.push({ level: 'warn', msg, meta: { ...base, ...meta } }),
    error: (msg, meta) => void records.push({ level: 'error', msg, meta: { ...base, ...meta } }),
    child: (meta) => make({ ...base, ...meta }),
  });
  return { logger: make({}), records };
}

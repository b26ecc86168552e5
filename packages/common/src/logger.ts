/**
 * Structured logging: one JSON object per line on stderr, with the component and ids as fields.
 * Messages are short and constant; variables go in the metadata.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(msg: string, meta?: LogMeta): void;
  info(msg: string, meta?: LogMeta): void;
  warn(msg: string, meta?: LogMeta): void;
  error(msg: string, meta?: LogMeta): void;
  child(meta: LogMeta): Logger;
}

export type LogSink = (line: string) => void;

export class JsonLogger implements Logger {
  constructor(
    private readonly base: LogMeta,
    private readonly level: LogLevel = levelFromEnv(),
    private readonly sink: LogSink = (line) => process.stderr.write(line + '\n'),
  ) {}

  debug(msg: string, meta?: LogMeta): void {
    this.log('debug', msg, meta);
  }
  info(msg: string, meta?: LogMeta): void {
    this.log('info', msg, meta);
  }
  warn(msg: string, meta?: LogMeta): void {
    this.log('warn', msg, meta);
  }
  error(msg: string, meta?: LogMeta): void {
    this.log('error', msg, meta);
  }
  child(meta: LogMeta): Logger {
    return new JsonLogger({ ...this.base, ...meta }, this.level, this.sink);
  }

  private log(level: LogLevel, msg: string, meta?: LogMeta): void {
    if (ORDER[level] < ORDER[this.level]) return;
    this.sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...this.base, ...meta }));
  }
}

function levelFromEnv(): LogLevel {
  const v = process.env.EDDY_LOG_LEVEL;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? v : 'info';
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

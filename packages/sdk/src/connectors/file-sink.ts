/**
 * Writes records to files, one per subtask: `<dir>/part-<subtask>.<txt|jsonl>`. `text` writes
 * String(record) per line, `jsonl` JSON per line. Writes are buffered and flushed between batches.
 * (Exactly-once, transactional part files come with checkpoints.)
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sink, SinkContext, SinkWriter } from '@eddy/common';
import type { LineFormat } from './file-source.js';

export class FileSink<T> implements Sink<T> {
  private readonly dir: string;
  private constructor(dir: string, private readonly format: LineFormat) {
    this.dir = resolve(dir);
  }

  static forPath<T>(dir: string, options: { format?: LineFormat } = {}): FileSink<T> {
    if (typeof dir !== 'string' || dir === '') throw new TypeError('FileSink.forPath() needs a directory');
    return new FileSink<T>(dir, options.format ?? 'jsonl');
  }

  createWriter(ctx: SinkContext): SinkWriter<T> {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `part-${ctx.subtaskIndex}.${this.format === 'text' ? 'txt' : 'jsonl'}`);
    return new LineWriter<T>(openSync(file, 'w'), this.format);
  }

  describe(): string {
    return `${this.format} files in ${this.dir}`;
  }
}

const FLUSH_BYTES = 64 * 1024;

class LineWriter<T> implements SinkWriter<T> {
  private pending = '';
  constructor(
    private fd: number | undefined,
    private readonly format: LineFormat,
  ) {}

  write(record: T): void {
    this.pending += (this.format === 'text' ? String(record) : JSON.stringify(record)) + '\n';
    if (this.pending.length >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.pending === '' || this.fd === undefined) return;
    writeSync(this.fd, this.pending);
    this.pending = '';
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

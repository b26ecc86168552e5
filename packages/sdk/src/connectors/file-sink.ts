/**
 * Writes records to files, one per subtask: `<dir>/part-<subtask>.<txt|jsonl>`. `text` writes
 * String(record) per line, `jsonl` JSON per line. Writes are buffered and flushed between batches.
 * (Exactly-once, transactional part files come with checkpoints.)
 *
 * A FileSink never leaves the output of two runs side by side: a job starts only into a directory
 * that is absent or empty. The first writer claims the directory with a hidden marker file naming its
 * job (created exclusively, so concurrent subtasks agree on one owner); a writer of another job, or a
 * directory with files and no marker, fails the task with the reason.
 */
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sink, SinkContext, SinkWriter } from '@eddy/common';
import type { LineFormat } from './file-source.js';

/** The hidden file through which a job claims a FileSink directory. */
export const FILE_SINK_MARKER = '.eddy-sink';

export class FileSink<T> implements Sink<T> {
  private readonly dir: string;
  private constructor(dir: string, private readonly format: LineFormat) {
    this.dir = resolve(dir);
  }

  static forPath<T>(dir: string, options: { format?: LineFormat } = {}): FileSink<T> {
    if (typeof dir !== 'string' || dir === '') throw new TypeError('FileSink.forPath() needs a directory');
    return new FileSink<T>(dir, options.format ?? 'jsonl');
  }

  validate(): void {
    const entries = listDir(this.dir);
    if (entries.length > 0) throw new Error(notEmpty(this.dir, entries));
  }

  createWriter(ctx: SinkContext): SinkWriter<T> {
    mkdirSync(this.dir, { recursive: true });
    claimDirectory(this.dir, ctx.jobId);
    const file = join(this.dir, `part-${ctx.subtaskIndex}.${this.format === 'text' ? 'txt' : 'jsonl'}`);
    return new LineWriter<T>(openSync(file, 'w'), this.format);
  }

  describe(): string {
    return `${this.format} files in ${this.dir}`;
  }
}

/** The directory's entries, leaving out the claim in progress of a concurrent writer. */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => !f.startsWith(`${FILE_SINK_MARKER}.`));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

function notEmpty(dir: string, entries: string[]): string {
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
  return `the FileSink directory ${dir} is not empty (${shown}): a FileSink writes only into an absent or empty directory, so that two runs' output never mix; remove it or choose another directory`;
}

/**
 * Makes `jobId` the owner of `dir`, or throws if the directory belongs to another job or holds files
 * of no job. Every writer of a job passes here before it creates its part file, so a part file is
 * never seen without the marker.
 */
function claimDirectory(dir: string, jobId: string): void {
  const marker = join(dir, FILE_SINK_MARKER);
  const entries = listDir(dir);
  if (!entries.includes(FILE_SINK_MARKER)) {
    if (entries.length > 0) throw new Error(notEmpty(dir, entries));
    // Written whole under a private name, then linked into place: the link fails if another writer
    // won, and no reader ever sees a half-written marker.
    const draft = `${marker}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(draft, JSON.stringify({ jobId }) + '\n');
    try {
      linkSync(draft, marker);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(draft, { force: true });
    }
  }
  let owner: string | undefined;
  try {
    owner = (JSON.parse(readFileSync(marker, 'utf8')) as { jobId?: string }).jobId;
  } catch {
    owner = undefined;
  }
  if (owner !== jobId) {
    throw new Error(`the FileSink directory ${dir} holds the output of ${owner ? `job ${owner}` : 'another run'}: remove it or choose another directory`);
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

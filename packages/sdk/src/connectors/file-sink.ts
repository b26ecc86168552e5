/**
 * Writes records to files in a directory: `text` writes String(record) per line, `jsonl` JSON per
 * line. Writes are buffered and flushed between batches. The directory must be absent or empty when
 * the job is submitted, and is claimed by the job (file-sink-directory.ts).
 *
 * - Without checkpointing: one file per subtask, `part-<subtask>.<txt|jsonl>`, written straight through.
 * - With checkpointing: exactly once through two-phase commit. Records go to hidden in-progress
 *   files; at each checkpoint they become hidden pending files, and when the checkpoint completes
 *   they are renamed to `part-<subtask>-<seq>.<txt|jsonl>`. A reader of the directory sees only
 *   committed output; on restore, the restored checkpoint's pending files are committed and every
 *   other hidden file of the subtask is deleted (transactional-file-writer.ts, file-committer.ts).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Committer, Sink, SinkContext, SinkWriter, SinkWriterRecoveredState } from '@eddy/common';
import { checkFileCommittable, FileCommitter, type FileCommittable } from './file-committer.js';
import { claimDirectory, listDir, notEmpty } from './file-sink-directory.js';
import type { LineFormat } from './file-line-reader.js';
import { TransactionalFileWriter } from './transactional-file-writer.js';

export { FILE_SINK_MARKER } from './file-sink-directory.js';
export type { FileCommittable } from './file-committer.js';

export class FileSink<T> implements Sink<T, FileCommittable> {
  private readonly dir: string;
  private constructor(
    dir: string,
    private readonly format: LineFormat,
  ) {
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

  createWriter(ctx: SinkContext): SinkWriter<T, FileCommittable> {
    this.claim(ctx);
    if (ctx.checkpointing === true) return new TransactionalFileWriter<T>(this.dir, ctx, this.format, new Set());
    const file = resolve(this.dir, `part-${ctx.subtaskIndex}.${this.format === 'text' ? 'txt' : 'jsonl'}`);
    return new LineWriter<T>(openSync(file, 'w'), this.format);
  }

  /** Only a job with checkpointing has a checkpoint to restore, so the writer is transactional. */
  restoreWriter(ctx: SinkContext, recovered: SinkWriterRecoveredState<FileCommittable>): SinkWriter<T, FileCommittable> {
    const keep = new Set(recovered.committables.map((c) => checkFileCommittable(c, this.describe()).pending));
    this.claim(ctx);
    return new TransactionalFileWriter<T>(this.dir, ctx, this.format, keep);
  }

  createCommitter(_ctx?: SinkContext): Committer<FileCommittable> {
    return new FileCommitter(this.dir, this.describe());
  }

  describe(): string {
    return `${this.format} files in ${this.dir}`;
  }

  private claim(ctx: SinkContext): void {
    mkdirSync(this.dir, { recursive: true });
    claimDirectory(this.dir, ctx.jobId);
  }
}

const FLUSH_BYTES = 64 * 1024;

/** Without checkpointing: straight into the subtask's one part file. */
class LineWriter<T> implements SinkWriter<T, FileCommittable> {
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

  /** Everything is visible already: nothing to commit (the end-of-input path without checkpointing). */
  prepareCommit(): FileCommittable[] {
    this.flush();
    return [];
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

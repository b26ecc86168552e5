/**
 * The FileSink's writer with checkpointing (phase one of its two-phase commit). Records go to a
 * hidden in-progress file, opened on the first record of a transaction; prepareCommit() fsyncs and
 * closes it and renames it to a hidden pending file, which the committer renames to its visible
 * name once the checkpoint completes. A transaction without records leaves no file.
 *
 * When it starts, the writer aborts what earlier writers of its subtask left behind (in-progress
 * files, pending files of checkpoints that never completed), keeping the pending files of the
 * restored checkpoint, which the committer commits. After a change of parallelism, subtask s's
 * leftovers are aborted by the writer of subtask s % parallelism, so none is orphaned.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkContext, SinkWriter } from '@eddy/common';
import type { FileCommittable } from './file-committer.js';
import { fsyncDirectory, listDir } from './file-sink-directory.js';
import { committedName, inProgressName, parsePartName, pendingName } from './file-part-names.js';
import type { LineFormat } from './file-line-reader.js';

const FLUSH_BYTES = 64 * 1024;

export class TransactionalFileWriter<T> implements SinkWriter<T, FileCommittable> {
  private fd: number | undefined;
  private buffered = '';
  private seq: number;
  private readonly subtask: number;
  private readonly ext: string;

  /** `keep`: the pending files of the restored checkpoint. */
  constructor(
    private readonly dir: string,
    ctx: SinkContext,
    private readonly format: LineFormat,
    keep: ReadonlySet<string>,
  ) {
    this.subtask = ctx.subtaskIndex;
    this.ext = format === 'text' ? 'txt' : 'jsonl';
    this.seq = abortLeftovers(dir, ctx, keep);
  }

  write(record: T): void {
    this.buffered += (this.format === 'text' ? String(record) : JSON.stringify(record)) + '\n';
    if (this.buffered.length >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.buffered === '') return;
    this.fd ??= openSync(join(this.dir, inProgressName(this.subtask, this.seq)), 'wx');
    writeSync(this.fd, this.buffered);
    this.buffered = '';
  }

  prepareCommit(): FileCommittable[] {
    this.flush();
    if (this.fd === undefined) return [];
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    const seq = this.seq++;
    const pending = pendingName(this.subtask, seq);
    renameSync(join(this.dir, inProgressName(this.subtask, seq)), join(this.dir, pending));
    fsyncDirectory(this.dir);
    return [{ v: 1, pending, committed: committedName(this.subtask, seq, this.ext) }];
  }

  /** What was not prepared is aborted: it could never be committed. */
  close(): void {
    this.buffered = '';
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(join(this.dir, inProgressName(this.subtask, this.seq)), { force: true });
  }
}

/** Deletes the hidden files of the subtasks this writer answers for, except `keep`; returns the first free sequence number. */
function abortLeftovers(dir: string, ctx: SinkContext, keep: ReadonlySet<string>): number {
  let next = 0;
  for (const name of listDir(dir)) {
    const part = parsePartName(name);
    if (!part) continue;
    if (part.subtask === ctx.subtaskIndex) next = Math.max(next, part.seq + 1);
    const mine = part.subtask === ctx.subtaskIndex || (part.subtask >= ctx.parallelism && part.subtask % ctx.parallelism === ctx.subtaskIndex);
    if (mine && part.state !== 'committed' && !keep.has(name)) rmSync(join(dir, name), { force: true });
  }
  return next;
}

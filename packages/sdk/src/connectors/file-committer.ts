/**
 * Phase two of the FileSink's two-phase commit: a committable names a hidden pending file and the
 * visible name it gets; commit is an atomic rename, so a reader sees a part file whole or not at all.
 * Committing again what is already committed (on restore, or a repeated notice) finds the pending
 * file gone and the visible one present, and succeeds.
 */
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Committer } from '@eddy/common';
import { CommitError } from '../errors.js';
import { fsyncDirectory } from './file-sink-directory.js';
import { parsePartName } from './file-part-names.js';

/** Names are relative to the sink's directory, so a checkpoint stays valid if the volume is mounted elsewhere. */
export interface FileCommittable {
  readonly v: 1;
  readonly pending: string;
  readonly committed: string;
}

/** `v` as a FileSink committable, or a CommitError: names are checked, so a damaged checkpoint cannot rename files outside the directory. */
export function checkFileCommittable(v: unknown, sink: string): FileCommittable {
  const c = v as Partial<FileCommittable> | null;
  const pending = typeof c?.pending === 'string' ? parsePartName(c.pending) : undefined;
  const committed = typeof c?.committed === 'string' ? parsePartName(c.committed) : undefined;
  if (c?.v !== 1 || pending?.state !== 'pending' || committed?.state !== 'committed' || pending.subtask !== committed.subtask || pending.seq !== committed.seq) {
    throw new CommitError(sink, `${JSON.stringify(v)} is not a FileSink committable of version 1`);
  }
  return { v: 1, pending: c.pending!, committed: c.committed! };
}

export class FileCommitter implements Committer<FileCommittable> {
  constructor(
    private readonly dir: string,
    private readonly sink: string,
  ) {}

  async commit(committables: readonly FileCommittable[]): Promise<void> {
    if (committables.length === 0) return;
    for (const raw of committables) {
      const c = checkFileCommittable(raw, this.sink);
      const committed = join(this.dir, c.committed);
      try {
        await rename(join(this.dir, c.pending), committed);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CommitError(this.sink, `renaming ${c.pending} to ${c.committed} failed`, e);
        if (!existsSync(committed)) {
          throw new CommitError(this.sink, `neither ${c.pending} nor ${c.committed} is in ${this.dir}: the prepared data is lost`);
        }
      }
    }
    fsyncDirectory(this.dir);
  }
}

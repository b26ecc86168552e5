/**
 * The directory of a FileSink: who owns it, and durable renames in it. A FileSink never leaves the
 * output of two runs side by side: a job starts only into a directory that is absent or empty. The
 * first writer claims the directory with a hidden marker file naming its job (created exclusively,
 * so concurrent subtasks agree on one owner); a writer of another job, or a directory with files and
 * no marker, fails the task with the reason. A restart of the owning job may go on in it.
 */
import { closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The hidden file through which a job claims a FileSink directory. */
export const FILE_SINK_MARKER = '.eddy-sink';

/** The directory's entries, leaving out the claim in progress of a concurrent writer. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => !f.startsWith(`${FILE_SINK_MARKER}.`));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export function notEmpty(dir: string, entries: string[]): string {
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
  return `the FileSink directory ${dir} is not empty (${shown}): a FileSink writes only into an absent or empty directory, so that two runs' output never mix; remove it or choose another directory`;
}

/**
 * Makes `jobId` the owner of `dir`, or throws if the directory belongs to another job or holds files
 * of no job. Every writer of a job passes here before it creates a file, so a part file is never
 * seen without the marker.
 */
export function claimDirectory(dir: string, jobId: string): void {
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

/**
 * Makes the renames done in `dir` durable: a rename lives in the directory, so without this a
 * machine crash could undo a commit that was reported done.
 */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writing a file that other processes may read at any moment (a cached or fetched job artifact): the
 * bytes go to a temporary file in the same directory, which is then renamed over the target, so a
 * reader sees either no file or the whole file — never one cut short by a crash or a concurrent writer.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

// Unique per process, thread and call: slot worker threads of one TaskManager share its pid.
let sequence = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}-${threadId}-${++sequence}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

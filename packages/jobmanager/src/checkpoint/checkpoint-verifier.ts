/**
 * Checks that a checkpoint is restorable: its `_metadata` decodes and every file it names exists with
 * the recorded size (and the recorded SHA-256, when there is one and checksums are asked for).
 * Used before `_metadata` is published (a task may name a file that is gone) and before a restore.
 */
import { CorruptCheckpointError } from '../errors.js';
import { decodeMetadata } from './checkpoint-metadata-codec.js';
import type { CompletedCheckpoint, StateFileHandle } from './checkpoint-metadata.js';
import type { CheckpointStorage } from './checkpoint-storage.js';

export interface FileProblem {
  readonly name: string;
  readonly uri: string;
  readonly problem: string;
}

/** Files checked at once. */
const PARALLEL = 16;

/** The problems of `files` in `storage`, in the order of `files`; empty when all are as recorded. */
export async function findFileProblems(storage: CheckpointStorage, files: readonly StateFileHandle[], checksums: boolean): Promise<FileProblem[]> {
  const problems: (FileProblem | undefined)[] = new Array(files.length);
  for (let i = 0; i < files.length; i += PARALLEL) {
    await Promise.all(files.slice(i, i + PARALLEL).map(async (f, j) => (problems[i + j] = await fileProblem(storage, f, checksums))));
  }
  return problems.filter((p): p is FileProblem => p !== undefined);
}

async function fileProblem(storage: CheckpointStorage, f: StateFileHandle, checksums: boolean): Promise<FileProblem | undefined> {
  const uri = storage.uriOf(f.name);
  const info = await storage.stat(f.name);
  if (!info) return { name: f.name, uri, problem: 'file is missing' };
  if (info.sizeBytes !== f.sizeBytes) return { name: f.name, uri, problem: `file has ${info.sizeBytes} bytes, ${f.sizeBytes} recorded` };
  if (checksums && f.sha256 !== undefined) {
    const digest = await storage.digest(f.name);
    if (digest !== f.sha256) return { name: f.name, uri, problem: 'file does not match its recorded SHA-256' };
  }
  return undefined;
}

/**
 * Reads checkpoint `checkpointId` back from storage and checks every file it names. Throws a
 * CorruptCheckpointError whose `uri` is the bad file: `_metadata` itself, or the first bad state file.
 */
export async function readVerifiedCheckpoint(storage: CheckpointStorage, checkpointId: number, checksums: boolean): Promise<CompletedCheckpoint> {
  const uri = storage.metadataUri(checkpointId);
  const bytes = await storage.readMetadata(checkpointId);
  if (bytes === undefined) throw new CorruptCheckpointError(checkpointId, uri, '_metadata is missing');
  const cp = decodeMetadata(bytes, { jobId: storage.jobId, checkpointId }, uri);
  const [first, ...more] = await findFileProblems(storage, cp.files, checksums);
  if (first) {
    const others = more.length > 0 ? ` (and ${more.length} more bad files)` : '';
    throw new CorruptCheckpointError(checkpointId, first.uri, `${first.problem}${others}`);
  }
  return cp;
}

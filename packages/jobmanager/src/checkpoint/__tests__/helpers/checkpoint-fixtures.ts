/** Completed checkpoints written to a real storage, with files of given contents, for store tests. */
import { createHash } from 'node:crypto';
import { encodeMetadata } from '../../checkpoint-metadata-codec.js';
import type { CompletedCheckpoint, JsonValue, StateFileHandle } from '../../checkpoint-metadata.js';
import type { CheckpointStorage } from '../../checkpoint-storage.js';

export interface FixtureSpec {
  /** File name → contents; names start with `chk-<id>/` or `shared/`. */
  readonly files: Readonly<Record<string, string>>;
  readonly committables?: JsonValue;
  /** Record a SHA-256 for each file. @default true */
  readonly checksums?: boolean;
}

/** Writes the files (shared ones only if absent) and the `_metadata` of checkpoint `id`; returns it. */
export async function writeCheckpoint(storage: CheckpointStorage, id: number, spec: FixtureSpec): Promise<CompletedCheckpoint> {
  if (!(await storage.listCheckpointIds()).includes(id)) await storage.initCheckpoint(id);
  const files: StateFileHandle[] = [];
  for (const [name, content] of Object.entries(spec.files).sort()) {
    const bytes = new TextEncoder().encode(content);
    if (!name.startsWith('shared/') || (await storage.stat(name)) === undefined) await storage.put(name, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    files.push({ name, sizeBytes: bytes.length, ...(spec.checksums === false ? {} : { sha256 }) });
  }
  const cp = completedCheckpoint(storage.jobId, id, files, spec.committables);
  await storage.publishMetadata(id, encodeMetadata(cp));
  return cp;
}

export function completedCheckpoint(jobId: string, id: number, files: readonly StateFileHandle[], committables?: JsonValue): CompletedCheckpoint {
  const size = files.reduce((n, f) => n + f.sizeBytes, 0);
  return {
    jobId,
    checkpointId: id,
    mode: 'exactly-once',
    triggerTime: 1000 * id,
    completionTime: 1000 * id + 50,
    enumerators: [{ operatorId: 'src', state: { remaining: ['split-3'] } }],
    operators: [
      { operatorId: 'agg', vertexId: 'agg', parallelism: 1, subtasks: [{ subtask: 0, keyed: { keyGroups: { start: 0, end: 127 }, files } }] },
      ...(committables === undefined ? [] : [{ operatorId: 'sink', vertexId: 'agg', parallelism: 1, subtasks: [{ subtask: 0, committables }] }]),
    ],
    tasks: [{ vertexId: 'agg', subtask: 0, alignmentMs: 3, syncDurationMs: 1, asyncDurationMs: 7 }],
    sizes: { fullBytes: size, incrementalBytes: size },
    alignmentMs: 3,
    files,
  };
}

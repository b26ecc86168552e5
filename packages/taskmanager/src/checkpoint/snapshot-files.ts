/**
 * Where a subtask writes its part of checkpoint n, and how it takes back what it wrote for a
 * checkpoint it never acknowledged. Until the acknowledgement the files are the task's; afterwards
 * they are the JobManager's (it discards them with the checkpoint, or counts references to them).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyedStateHandle } from '../state/snapshot/keyed-state-handle.js';

/** `<checkpointDir>/chk-<n>/<vertex>-<subtask>`; vertex ids may be the user's, so escaped to one component. */
export function subtaskCheckpointDir(checkpointDir: string, checkpointId: number, vertexId: string, subtaskIndex: number): string {
  return join(checkpointDir, `chk-${checkpointId}`, `${encodeURIComponent(vertexId)}-${subtaskIndex}`);
}

/** Bytes a restore reads (`full`) and bytes this checkpoint wrote (`incremental`). */
export function handleBytes(h: KeyedStateHandle): { full: number; incremental: number } {
  if (h.kind === 'key-groups') return { full: h.bytes, incremental: h.bytes };
  let full = 0;
  for (const f of h.files) full += f.bytes;
  return { full, incremental: h.bytesWritten };
}

/**
 * Removes what an unacknowledged snapshot wrote: its directory, and the shared files it uploaded
 * itself (their names carry its checkpoint id, so no other checkpoint refers to them); the shared
 * files it took over from the previous checkpoint stay.
 */
export async function discardSnapshotFiles(dir: string, handle: KeyedStateHandle | undefined): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  if (handle?.kind !== 'leveldb-files') return;
  for (const f of handle.files) if (f.scope === 'shared' && !f.sharedWithPrevious) await rm(f.path, { force: true });
}

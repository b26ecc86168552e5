/**
 * Where a TaskManager keeps its files, in one place so that whatever writes them and whatever removes
 * them agree:
 *
 *   <dataDir>/artifacts/<jobId>/artifact.mjs            the job's artifact (and its linked copies)
 *   <dataDir>/slot-<i>/state/<jobId>/<task>/            a keyed task's LevelDB database, per slot
 *
 * Every job and attempt id that names a folder is checked with isSafeId here, whoever passed it. Vertex
 * ids may be the user's own `.uid(...)`, so they are escaped to stay one path component.
 */
import { join } from 'node:path';
import { isSafeId, ValidationError } from '@eddy/common';

const SLOT_DIR = /^slot-\d+$/;

function safe(kind: string, id: string): string {
  if (!isSafeId(id)) throw new ValidationError(`'${id}' is not a valid ${kind}`);
  return id;
}

export function artifactsDir(dataDir: string): string {
  return join(dataDir, 'artifacts');
}

/** The folder of one job's artifact files. */
export function jobArtifactDir(dataDir: string, jobId: string): string {
  return join(artifactsDir(dataDir), safe('job id', jobId));
}

export function slotDataDir(dataDir: string, slot: number): string {
  return join(dataDir, `slot-${slot}`);
}

/** True for the names of the slot folders in a data directory (of this run, or of one with more slots). */
export function isSlotDirName(name: string): boolean {
  return SLOT_DIR.test(name);
}

/** The folder of one job's keyed state in one slot. */
export function jobStateDir(slotDir: string, jobId: string): string {
  return join(slotDir, 'state', safe('job id', jobId));
}

/** The LevelDB folder of one keyed task attempt: `<vertex>-<subtask>-<attempt>`. */
export function taskStateDir(slotDir: string, jobId: string, vertexId: string, subtask: number, attemptId: string): string {
  return join(jobStateDir(slotDir, jobId), `${encodeURIComponent(vertexId)}-${subtask}-${safe('attempt id', attemptId)}`);
}

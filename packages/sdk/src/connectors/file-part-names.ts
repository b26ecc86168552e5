/**
 * Names of a FileSink's files with checkpointing. Only committed files are visible; the hidden ones
 * start with '.', which every reader of the directory (FileSource too) skips:
 *
 *   .part-<subtask>-<seq>.inprogress   being written
 *   .part-<subtask>-<seq>.pending      prepared at a checkpoint (durable), waiting for its commit
 *   part-<subtask>-<seq>.<txt|jsonl>   committed
 *
 * Sequence numbers grow per subtask and are never reused, so a commit never replaces a file.
 */
export type PartState = 'inprogress' | 'pending' | 'committed';

export interface PartName {
  readonly subtask: number;
  readonly seq: number;
  readonly state: PartState;
}

export function inProgressName(subtask: number, seq: number): string {
  return `.part-${subtask}-${seq}.inprogress`;
}

export function pendingName(subtask: number, seq: number): string {
  return `.part-${subtask}-${seq}.pending`;
}

export function committedName(subtask: number, seq: number, ext: string): string {
  return `part-${subtask}-${seq}.${ext}`;
}

const HIDDEN = /^\.part-(\d+)-(\d+)\.(inprogress|pending)$/;
const COMMITTED = /^part-(\d+)-(\d+)\.(txt|jsonl)$/;

/** The part a file name stands for; undefined for other files (the marker, a part file without checkpointing). */
export function parsePartName(name: string): PartName | undefined {
  const hidden = HIDDEN.exec(name);
  if (hidden) return { subtask: Number(hidden[1]), seq: Number(hidden[2]), state: hidden[3] as PartState };
  const committed = COMMITTED.exec(name);
  if (committed) return { subtask: Number(committed[1]), seq: Number(committed[2]), state: 'committed' };
  return undefined;
}

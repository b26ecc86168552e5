/**
 * Names of the files in one job's checkpoint storage. A name is relative to the job's checkpoint root,
 * `/`-separated, and starts either with `chk-<n>/` (a file private to checkpoint n, deleted with it)
 * or with `shared/` (a file that incremental checkpoints share, deleted when nothing refers to it).
 *
 * Every segment starts with a letter or digit, so a valid name can never be `.`, `..`, a hidden
 * temporary file or `_metadata`, which only the storage itself writes. Names come from TaskManagers
 * and from `_metadata` files on disk: both are checked here before anything touches a path.
 */
import { ValidationError } from '@eddy/common';
import { UnsafeCheckpointPathError } from '../errors.js';

export const SHARED_DIR = 'shared';
export const METADATA_FILE = '_metadata';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const CHECKPOINT_DIR = /^chk-([1-9][0-9]{0,14})$/;
const MAX_NAME_LENGTH = 1024;
const MAX_DEPTH = 8;

/** Who owns a state file: one checkpoint (its private directory) or the shared directory. */
export type FileOwner = { readonly kind: 'checkpoint'; readonly checkpointId: number } | { readonly kind: 'shared' };

/** Checkpoint ids are positive safe integers, counted up from 1 per job. */
export function isCheckpointId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1;
}

/** `chk-<id>`: the private directory of checkpoint `id`. */
export function checkpointDirName(id: number): string {
  if (!isCheckpointId(id)) throw new ValidationError(`checkpoint id must be a positive integer, got ${String(id)}`);
  return `chk-${id}`;
}

/** The checkpoint id of a `chk-<id>` directory name, or undefined for any other name. */
export function parseCheckpointDirName(name: string): number | undefined {
  const m = CHECKPOINT_DIR.exec(name);
  if (!m) return undefined;
  const id = Number(m[1]);
  return isCheckpointId(id) ? id : undefined;
}

/** The segments of a valid name (a file, or a directory when `allowDir`), or undefined. */
export function nameSegments(name: unknown, allowDir = false): string[] | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return undefined;
  const segments = name.split('/');
  if (segments.length > MAX_DEPTH || (!allowDir && segments.length < 2)) return undefined;
  if (!segments.every((s) => SEGMENT.test(s))) return undefined;
  const first = segments[0]!;
  if (first !== SHARED_DIR && parseCheckpointDirName(first) === undefined) return undefined;
  return segments;
}

/** The owner of a valid state file name, or undefined when `name` is not a valid state file name. */
export function fileOwner(name: unknown): FileOwner | undefined {
  const segments = nameSegments(name);
  if (!segments) return undefined;
  const id = parseCheckpointDirName(segments[0]!);
  return id === undefined ? { kind: 'shared' } : { kind: 'checkpoint', checkpointId: id };
}

/** True for a valid name under `shared/`. */
export function isSharedFileName(name: string): boolean {
  return fileOwner(name)?.kind === 'shared';
}

/** Throws UnsafeCheckpointPathError unless `name` is a valid state file (or directory) name. */
export function checkName(name: string, allowDir = false): string[] {
  const segments = nameSegments(name, allowDir);
  if (!segments) throw new UnsafeCheckpointPathError(String(name), `not a name under 'chk-<n>/' or '${SHARED_DIR}/' made of letters, digits, '.', '_' and '-'`);
  return segments;
}

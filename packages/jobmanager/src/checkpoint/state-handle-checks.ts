/**
 * Checks of state handles arriving from outside: a task's acknowledgement (over RPC) and a `_metadata`
 * file (from disk). Each check returns a fresh copy holding only the known fields, so nothing
 * unvalidated reaches a checkpoint, and throws an InvalidStateHandleError naming the bad field.
 *
 * A file handle must name a file the checkpoint may own: its private `chk-<n>/` files or `shared/`
 * ones. A handle to another checkpoint's private file is refused, because discarding that checkpoint
 * would delete it.
 */
import { MAX_MAX_PARALLELISM, type KeyGroupRange } from '@eddy/common';
import { InvalidStateHandleError } from '../errors.js';
import { fileOwner } from './checkpoint-file-names.js';
import type { JsonValue, KeyedStateHandle, OperatorSnapshot, OperatorSubtaskState, StateFileHandle, TaskAcknowledgement } from './checkpoint-metadata.js';

const SHA256 = /^[0-9a-f]{64}$/;
const MAX_JSON_DEPTH = 64;

export function fail(path: string, problem: string): never {
  throw new InvalidStateHandleError(path, problem);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkRecord(v: unknown, path: string): Record<string, unknown> {
  if (!isRecord(v)) fail(path, 'must be an object');
  return v;
}

export function checkArray(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  return v;
}

export function checkString(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') fail(path, 'must be a non-empty string');
  return v;
}

/** A non-negative safe integer (sizes, subtask indexes, epoch milliseconds). */
export function checkCount(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(path, `must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** An optional duration: absent is 0. */
export function checkOptionalMs(v: unknown, path: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(path, `must be a non-negative number of milliseconds, got ${String(v)}`);
  return v;
}

/** A JSON value: plain objects, arrays, strings, finite numbers, booleans and null. Returns a deep copy. */
export function checkJson(v: unknown, path: string, depth = 0): JsonValue {
  if (depth > MAX_JSON_DEPTH) fail(path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(path, 'must be a finite number');
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => checkJson(x, `${path}[${i}]`, depth + 1));
  if (isRecord(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, k, { value: checkJson(x, `${path}.${k}`, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return fail(path, `is not a JSON value (${typeof v})`);
}

/** A file of checkpoint `checkpointId`: under its own `chk-<n>/` or under `shared/`. */
export function checkFileHandle(v: unknown, path: string, checkpointId: number): StateFileHandle {
  const r = checkRecord(v, path);
  const owner = fileOwner(r.name);
  if (!owner) fail(`${path}.name`, `'${String(r.name)}' is not a valid name under chk-<n>/ or shared/`);
  if (owner.kind === 'checkpoint' && owner.checkpointId !== checkpointId) {
    fail(`${path}.name`, `'${String(r.name)}' belongs to checkpoint ${owner.checkpointId}, not ${checkpointId}`);
  }
  const sizeBytes = checkCount(r.sizeBytes, `${path}.sizeBytes`);
  if (r.sha256 !== undefined && (typeof r.sha256 !== 'string' || !SHA256.test(r.sha256))) fail(`${path}.sha256`, 'must be 64 lowercase hex digits');
  return { name: r.name as string, sizeBytes, ...(r.sha256 !== undefined ? { sha256: r.sha256 as string } : {}) };
}

export function checkKeyGroups(v: unknown, path: string): KeyGroupRange {
  const r = checkRecord(v, path);
  const start = checkCount(r.start, `${path}.start`);
  const end = checkCount(r.end, `${path}.end`);
  if (end >= MAX_MAX_PARALLELISM || end < start) fail(path, `[${start}, ${end}] is not a key-group range`);
  return { start, end };
}

export function checkKeyedHandle(v: unknown, path: string, checkpointId: number): KeyedStateHandle {
  const r = checkRecord(v, path);
  const files = checkArray(r.files, `${path}.files`).map((f, i) => checkFileHandle(f, `${path}.files[${i}]`, checkpointId));
  return { keyGroups: checkKeyGroups(r.keyGroups, `${path}.keyGroups`), files };
}

export function checkSubtaskState(r: Record<string, unknown>, path: string, checkpointId: number): OperatorSubtaskState {
  return {
    ...(r.keyed !== undefined ? { keyed: checkKeyedHandle(r.keyed, `${path}.keyed`, checkpointId) } : {}),
    ...(r.operator !== undefined ? { operator: checkJson(r.operator, `${path}.operator`) } : {}),
    ...(r.committables !== undefined ? { committables: checkJson(r.committables, `${path}.committables`) } : {}),
  };
}

/** A task's acknowledgement of checkpoint `checkpointId`; it may speak only of the task's own operators, once each. */
export function checkAcknowledgement(v: unknown, checkpointId: number, operatorIds: readonly string[]): TaskAcknowledgement {
  const r = checkRecord(v, 'acknowledgement');
  const seen = new Set<string>();
  const operators = checkArray(r.operators, 'acknowledgement.operators').map((o, i): OperatorSnapshot => {
    const path = `acknowledgement.operators[${i}]`;
    const op = checkRecord(o, path);
    const operatorId = checkString(op.operatorId, `${path}.operatorId`);
    if (!operatorIds.includes(operatorId)) fail(`${path}.operatorId`, `'${operatorId}' is not an operator of this task`);
    if (seen.has(operatorId)) fail(`${path}.operatorId`, `'${operatorId}' appears twice`);
    seen.add(operatorId);
    return { operatorId, ...checkSubtaskState(op, path, checkpointId) };
  });
  return {
    operators,
    alignmentMs: checkOptionalMs(r.alignmentMs, 'acknowledgement.alignmentMs'),
    syncDurationMs: checkOptionalMs(r.syncDurationMs, 'acknowledgement.syncDurationMs'),
    asyncDurationMs: checkOptionalMs(r.asyncDurationMs, 'acknowledgement.asyncDurationMs'),
  };
}

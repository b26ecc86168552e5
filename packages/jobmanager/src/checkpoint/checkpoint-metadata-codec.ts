/**
 * The `_metadata` file, version 1: one JSON object
 *
 *   {"format":"eddy-checkpoint-metadata","version":1,"sha256":"<hex>","checkpoint":{...CompletedCheckpoint}}
 *
 * where `sha256` is the SHA-256 of the JSON text of `checkpoint` as written. JSON.stringify of a value
 * parsed from JSON gives back the same text, so the reader recomputes it from the parsed value; a
 * truncated, edited or bit-flipped file fails to parse or to match. Decoding validates every field
 * (names, sizes, ids) before anything uses it: a `_metadata` file is input from disk, not trusted code.
 */
import { createHash } from 'node:crypto';
import { CorruptCheckpointError, InvalidStateHandleError } from '../errors.js';
import { errorMessage, isErrorNamed } from '@eddy/common';
import type { CompletedCheckpoint, EnumeratorState, OperatorState, StateFileHandle, SubtaskState, TaskCheckpointStats } from './checkpoint-metadata.js';
import { CHECKPOINT_MODES, type CheckpointMode } from './checkpoint-options.js';
import {
  checkArray,
  checkCount,
  checkFileHandle,
  checkJson,
  checkOptionalMs,
  checkRecord,
  checkString,
  checkSubtaskState,
  fail,
} from './state-handle-checks.js';

export const METADATA_FORMAT = 'eddy-checkpoint-metadata';
export const METADATA_VERSION = 1;

export function encodeMetadata(cp: CompletedCheckpoint): Uint8Array {
  const body = JSON.stringify(cp);
  const envelope = `{"format":"${METADATA_FORMAT}","version":${METADATA_VERSION},"sha256":"${sha256(body)}","checkpoint":${body}}\n`;
  return new TextEncoder().encode(envelope);
}

/** Decodes and validates the `_metadata` of checkpoint `checkpointId` of job `jobId`; throws CorruptCheckpointError. */
export function decodeMetadata(bytes: Uint8Array, expected: { jobId: string; checkpointId: number }, uri: string): CompletedCheckpoint {
  const corrupt = (problem: string) => new CorruptCheckpointError(expected.checkpointId, uri, problem);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw corrupt(`_metadata is not valid JSON (truncated?): ${errorMessage(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== METADATA_FORMAT) {
    throw corrupt('_metadata is not an Eddy checkpoint metadata file');
  }
  const { version, sha256: recorded, checkpoint } = parsed as { version?: unknown; sha256?: unknown; checkpoint?: unknown };
  if (version !== METADATA_VERSION) throw corrupt(`_metadata has version ${String(version)}; this JobManager reads version ${METADATA_VERSION}`);
  if (typeof recorded !== 'string' || checkpoint === undefined || sha256(JSON.stringify(checkpoint)) !== recorded) {
    throw corrupt('_metadata does not match its checksum');
  }
  try {
    return checkCheckpoint(checkpoint, expected);
  } catch (e) {
    if (isErrorNamed(e, 'InvalidStateHandleError')) throw corrupt(`_metadata is malformed: ${(e as InvalidStateHandleError).message}`);
    throw e;
  }
}

function checkCheckpoint(v: unknown, expected: { jobId: string; checkpointId: number }): CompletedCheckpoint {
  const r = checkRecord(v, 'checkpoint');
  if (r.jobId !== expected.jobId) fail('checkpoint.jobId', `is '${String(r.jobId)}', expected '${expected.jobId}'`);
  if (r.checkpointId !== expected.checkpointId) fail('checkpoint.checkpointId', `is ${String(r.checkpointId)}, expected ${expected.checkpointId}`);
  const id = expected.checkpointId;
  if (!CHECKPOINT_MODES.includes(r.mode as CheckpointMode)) fail('checkpoint.mode', `'${String(r.mode)}' is not a checkpoint mode`);
  const files = checkArray(r.files, 'checkpoint.files').map((f, i) => checkFileHandle(f, `checkpoint.files[${i}]`, id));
  const operators = checkArray(r.operators, 'checkpoint.operators').map((o, i) => checkOperator(o, `checkpoint.operators[${i}]`, id));
  checkFilesListed(operators, files);
  const sizes = checkRecord(r.sizes, 'checkpoint.sizes');
  return {
    jobId: expected.jobId,
    checkpointId: id,
    mode: r.mode as CheckpointMode,
    triggerTime: checkCount(r.triggerTime, 'checkpoint.triggerTime'),
    completionTime: checkCount(r.completionTime, 'checkpoint.completionTime'),
    enumerators: checkArray(r.enumerators, 'checkpoint.enumerators').map((e, i): EnumeratorState => {
      const er = checkRecord(e, `checkpoint.enumerators[${i}]`);
      return { operatorId: checkString(er.operatorId, `checkpoint.enumerators[${i}].operatorId`), state: checkJson(er.state, `checkpoint.enumerators[${i}].state`) };
    }),
    operators,
    tasks: checkArray(r.tasks, 'checkpoint.tasks').map((t, i) => checkTaskStats(t, `checkpoint.tasks[${i}]`)),
    sizes: { fullBytes: checkCount(sizes.fullBytes, 'checkpoint.sizes.fullBytes'), incrementalBytes: checkCount(sizes.incrementalBytes, 'checkpoint.sizes.incrementalBytes') },
    alignmentMs: checkOptionalMs(r.alignmentMs, 'checkpoint.alignmentMs'),
    files,
  };
}

function checkOperator(v: unknown, path: string, checkpointId: number): OperatorState {
  const r = checkRecord(v, path);
  const parallelism = checkCount(r.parallelism, `${path}.parallelism`);
  const subtasks = checkArray(r.subtasks, `${path}.subtasks`).map((s, i): SubtaskState => {
    const sp = `${path}.subtasks[${i}]`;
    const sr = checkRecord(s, sp);
    const subtask = checkCount(sr.subtask, `${sp}.subtask`);
    if (subtask >= parallelism) fail(`${sp}.subtask`, `${subtask} is out of range for parallelism ${parallelism}`);
    return { subtask, ...checkSubtaskState(sr, sp, checkpointId) };
  });
  return { operatorId: checkString(r.operatorId, `${path}.operatorId`), vertexId: checkString(r.vertexId, `${path}.vertexId`), parallelism, subtasks };
}

function checkTaskStats(v: unknown, path: string): TaskCheckpointStats {
  const r = checkRecord(v, path);
  return {
    vertexId: checkString(r.vertexId, `${path}.vertexId`),
    subtask: checkCount(r.subtask, `${path}.subtask`),
    alignmentMs: checkOptionalMs(r.alignmentMs, `${path}.alignmentMs`),
    syncDurationMs: checkOptionalMs(r.syncDurationMs, `${path}.syncDurationMs`),
    asyncDurationMs: checkOptionalMs(r.asyncDurationMs, `${path}.asyncDurationMs`),
  };
}

/** `files` must list every file a keyed handle names, with the same size: retention counts references from it. */
function checkFilesListed(operators: readonly OperatorState[], files: readonly StateFileHandle[]): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const op of operators) {
    for (const s of op.subtasks) {
      for (const f of s.keyed?.files ?? []) {
        if (byName.get(f.name)?.sizeBytes !== f.sizeBytes) fail('checkpoint.files', `does not list '${f.name}' of ${f.sizeBytes} bytes`);
      }
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

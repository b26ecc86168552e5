/**
 * The two shapes of a task's checkpoint state on the wire, and the mapping between them and the
 * task's own snapshot:
 *
 * - acknowledgement (task → JobManager, AcknowledgeCheckpointRequest.acknowledgement_json): one entry
 *   per operator of the chain with its keyed state files (names relative to the job's checkpoint
 *   directory, so the JobManager can check and reference-count them), its operator state (JSON: source
 *   splits, a sink writer's state, the task's snapshot handles) and a sink's committables;
 * - restore (JobManager → task, TaskDeploymentDescriptor.restore_json): the same entries, as the
 *   completed checkpoint recorded them.
 *
 * Paths are relative on the wire and absolute in the task; a relative path that would leave the
 * checkpoint directory is refused (the bytes come from another process).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ValidationError } from '@eddy/common';
import type { KeyedStateHandle } from '../state/snapshot/keyed-state-handle.js';
import type { TimersStateHandle } from '../time/timer-snapshot.js';
import type { OperatorSnapshot, TaskCheckpointSnapshot } from './task-checkpoint-snapshot.js';

export type { TaskCheckpointSnapshot };

export interface SnapshotMetrics {
  readonly alignmentMs: number;
  readonly syncMs: number;
  readonly asyncMs: number;
}

interface WireFile {
  readonly name: string;
  readonly sizeBytes: number;
}

interface WireOperator {
  readonly operatorId: string;
  readonly keyed?: { readonly keyGroups: { readonly start: number; readonly end: number }; readonly files: readonly WireFile[] };
  readonly operator?: OperatorStateJson;
  readonly committables?: readonly unknown[];
}

/** What an operator's `operator` JSON holds. */
interface OperatorStateJson {
  readonly sourceSplits?: readonly unknown[];
  readonly sinkWriterState?: readonly unknown[];
  /** The task's keyed and timer snapshot handles with relative paths (on the chain's keyed operator). */
  readonly keyedHandles?: readonly KeyedStateHandle[];
  readonly timers?: TimersStateHandle;
  readonly finished?: boolean;
}

/** Relative name of `path` under `root`; throws when it is not inside it. */
export function nameUnder(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new ValidationError(`${path} is not inside the checkpoint directory ${root}`);
  return rel.split(sep).join('/');
}

/** Absolute path of a name received from another process; refuses names that leave `root`. */
export function pathUnder(root: string, name: string): string {
  if (typeof name !== 'string' || name === '' || isAbsolute(name) || name.split('/').some((s) => s === '..' || s === '')) {
    throw new ValidationError(`checkpoint file name '${String(name)}' is not a plain relative name`);
  }
  const path = resolve(root, ...name.split('/'));
  nameUnder(root, path);
  return path;
}

function relativeHandle(root: string, h: KeyedStateHandle): KeyedStateHandle {
  return h.kind === 'key-groups' ? { ...h, file: nameUnder(root, h.file) } : { ...h, files: h.files.map((f) => ({ ...f, path: nameUnder(root, f.path) })) };
}

function absoluteHandle(root: string, h: KeyedStateHandle): KeyedStateHandle {
  return h.kind === 'key-groups' ? { ...h, file: pathUnder(root, h.file) } : { ...h, files: h.files.map((f) => ({ ...f, path: pathUnder(root, f.path) })) };
}

function filesOf(root: string, keyed: readonly KeyedStateHandle[], timers: TimersStateHandle | undefined): WireFile[] {
  const files = keyed.flatMap((h) => (h.kind === 'key-groups' ? [{ name: nameUnder(root, h.file), sizeBytes: h.bytes }] : h.files.map((f) => ({ name: nameUnder(root, f.path), sizeBytes: f.bytes }))));
  if (timers) files.push({ name: nameUnder(root, timers.file), sizeBytes: timers.bytes });
  return files;
}

/**
 * The acknowledgement of `snapshot` for the JobManager. `operatorIds` are the chain's operators in
 * order; keyed state and timers are reported on `keyedOperatorId` (the chain's keyed operator).
 */
export function toAcknowledgement(
  snapshot: TaskCheckpointSnapshot,
  opts: { checkpointDir: string; operatorIds: readonly string[]; keyedOperatorId?: string; metrics: SnapshotMetrics },
): { operators: WireOperator[]; alignmentMs: number; syncDurationMs: number; asyncDurationMs: number } {
  const root = opts.checkpointDir;
  const timers = snapshot.timers as TimersStateHandle | undefined;
  const operators = opts.operatorIds.flatMap((operatorId): WireOperator[] => {
    const own = snapshot.operators[operatorId];
    const keyedHere = operatorId === opts.keyedOperatorId && (snapshot.keyed?.length || timers);
    const state: OperatorStateJson = {
      ...(own?.sourceSplits ? { sourceSplits: own.sourceSplits } : {}),
      ...(own?.sink ? { sinkWriterState: own.sink.writerState } : {}),
      ...(keyedHere && snapshot.keyed?.length ? { keyedHandles: snapshot.keyed.map((h) => relativeHandle(root, h)) } : {}),
      ...(keyedHere && timers ? { timers: { ...timers, file: nameUnder(root, timers.file) } } : {}),
      ...(snapshot.finished ? { finished: true } : {}),
    };
    if (!own && !keyedHere && !snapshot.finished) return [];
    const range = snapshot.keyed?.[0]?.keyGroupRange ?? timers?.keyGroupRange;
    return [
      {
        operatorId,
        ...(keyedHere && range ? { keyed: { keyGroups: { start: range.start, end: range.end }, files: filesOf(root, snapshot.keyed ?? [], timers) } } : {}),
        operator: state,
        ...(own?.sink ? { committables: own.sink.committables } : {}),
      },
    ];
  });
  return { operators, alignmentMs: opts.metrics.alignmentMs, syncDurationMs: opts.metrics.syncMs, asyncDurationMs: opts.metrics.asyncMs };
}

/** The task's restore from a deployment's restore_json; undefined for an empty one (a first start). */
export function fromRestoreJson(json: string, checkpointDir: string): { checkpointId: number; state: TaskCheckpointSnapshot } | undefined {
  if (json === '') return undefined;
  const r = JSON.parse(json) as { checkpointId?: unknown; operators?: unknown };
  if (typeof r.checkpointId !== 'number' || !Number.isSafeInteger(r.checkpointId) || r.checkpointId < 1 || !Array.isArray(r.operators)) {
    throw new ValidationError('restore_json needs a checkpointId >= 1 and a list of operators');
  }
  const operators: Record<string, OperatorSnapshot> = {};
  let keyed: KeyedStateHandle[] | undefined;
  let timers: TimersStateHandle | undefined;
  let finished = false;
  for (const o of r.operators as WireOperator[]) {
    if (typeof o?.operatorId !== 'string') throw new ValidationError('restore_json: an operator without operatorId');
    const s = o.operator ?? {};
    const entry: OperatorSnapshot = {};
    if (Array.isArray(s.sourceSplits)) entry.sourceSplits = [...s.sourceSplits];
    if (Array.isArray(s.sinkWriterState) || Array.isArray(o.committables)) {
      entry.sink = { committables: [...(o.committables ?? [])], writerState: [...(s.sinkWriterState ?? [])] };
    }
    if (entry.sourceSplits || entry.sink) operators[o.operatorId] = entry;
    if (Array.isArray(s.keyedHandles)) keyed = [...(keyed ?? []), ...s.keyedHandles.map((h) => absoluteHandle(checkpointDir, h))];
    if (s.timers) timers = { ...s.timers, file: pathUnder(checkpointDir, s.timers.file) };
    if (s.finished === true) finished = true;
  }
  return {
    checkpointId: r.checkpointId,
    state: { version: 1, operators, ...(keyed ? { keyed } : {}), ...(timers ? { timers } : {}), ...(finished ? { finished } : {}) },
  };
}

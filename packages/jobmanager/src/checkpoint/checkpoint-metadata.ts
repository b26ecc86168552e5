/**
 * What a task acknowledges and what a completed checkpoint records (Flink's TaskStateSnapshot,
 * OperatorSubtaskState and CheckpointMetadata). Keyed state is files named by checkpoint-file-names.ts;
 * operator state (source splits) and sink committables are small JSON values carried inline.
 * Lists rather than maps keyed by operator id, because operator ids are user strings.
 */
import type { KeyGroupRange } from '@eddy/common';
import type { CheckpointMode } from './checkpoint-options.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One file a snapshot needs. `sha256` is lowercase hex, recorded when the task computed it. */
export interface StateFileHandle {
  readonly name: string;
  readonly sizeBytes: number;
  readonly sha256?: string;
}

/** Keyed state of one operator subtask: its key-group range and the files that hold it. */
export interface KeyedStateHandle {
  readonly keyGroups: KeyGroupRange;
  readonly files: readonly StateFileHandle[];
}

/** The state of one operator in one subtask. */
export interface OperatorSubtaskState {
  readonly keyed?: KeyedStateHandle;
  /** Non-keyed state, e.g. a source reader's unfinished splits with their positions. */
  readonly operator?: JsonValue;
  /** A two-phase-commit sink's committables, committed when the checkpoint completes. */
  readonly committables?: JsonValue;
}

export interface OperatorSnapshot extends OperatorSubtaskState {
  readonly operatorId: string;
}

/** A task's acknowledgement of a checkpoint: its operators' state and how long the snapshot took. */
export interface TaskAcknowledgement {
  readonly operators: readonly OperatorSnapshot[];
  /** Time the task held input channels back while aligning barriers (0 at least once). */
  readonly alignmentMs?: number;
  readonly syncDurationMs?: number;
  readonly asyncDurationMs?: number;
}

/** A source enumerator's state (splits not yet handed out), taken by the coordinator at the trigger. */
export interface EnumeratorState {
  readonly operatorId: string;
  readonly state: JsonValue;
}

export interface SubtaskState extends OperatorSubtaskState {
  readonly subtask: number;
}

/** Every subtask's state of one operator, ordered by subtask. */
export interface OperatorState {
  readonly operatorId: string;
  readonly vertexId: string;
  readonly parallelism: number;
  readonly subtasks: readonly SubtaskState[];
}

/** How one task's part of the checkpoint went. */
export interface TaskCheckpointStats {
  readonly vertexId: string;
  readonly subtask: number;
  readonly alignmentMs: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
}

export interface CheckpointSizes {
  /** Every file the checkpoint needs plus its inline state. */
  readonly fullBytes: number;
  /** What this checkpoint added: its private files, the shared files no earlier checkpoint held, inline state. */
  readonly incrementalBytes: number;
}

/** A completed checkpoint: exactly what its `_metadata` holds (checkpoint-metadata-codec.ts). */
export interface CompletedCheckpoint {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly mode: CheckpointMode;
  readonly triggerTime: number;
  readonly completionTime: number;
  readonly enumerators: readonly EnumeratorState[];
  readonly operators: readonly OperatorState[];
  readonly tasks: readonly TaskCheckpointStats[];
  readonly sizes: CheckpointSizes;
  /** The longest alignment of any task. */
  readonly alignmentMs: number;
  /** Every file the checkpoint refers to, once each, sorted by name. */
  readonly files: readonly StateFileHandle[];
}

/** Bytes of a JSON value as stored inline. */
export function jsonBytes(v: JsonValue | undefined): number {
  return v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v));
}

/** True when some sink of the checkpoint has committables, i.e. a transaction waits for its commit. */
export function hasCommittables(cp: CompletedCheckpoint): boolean {
  return cp.operators.some((op) => op.subtasks.some((s) => s.committables !== undefined));
}

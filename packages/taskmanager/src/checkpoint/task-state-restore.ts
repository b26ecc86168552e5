/**
 * Puts a task's checkpointed state back before it handles any record: the keyed backend's key
 * groups, each two-phase-commit sink's committer and writer, and the source reader's splits (which
 * the task's source driver adds before its first poll). With checkpointing and nothing to restore,
 * the sinks are initialized the same way, with a fresh writer: `SinkContext.checkpointing` tells
 * them to write transactionally.
 */
import type { SinkContext } from '@eddy/common';
import type { SinkOperator } from '../operators/sink-operator.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { TaskRestore } from '../task/task-descriptor.js';
import { TaskRestoreError } from './checkpoint-errors.js';
import { checkTaskCheckpointSnapshot } from './task-checkpoint-snapshot.js';

export interface RestoreTargets {
  /** Names the subtask in errors. */
  readonly task: string;
  readonly operatorIds: readonly string[];
  readonly backend: KeyedStateBackend | undefined;
  readonly sinks: readonly SinkOperator[];
  readonly sinkContext: SinkContext;
  readonly sourceOperatorId: string | undefined;
}

/** Restores `restore` (absent: a first start) into `t`; returns the source reader's splits. */
export async function restoreTaskState(restore: TaskRestore | undefined, t: RestoreTargets): Promise<{ sourceSplits: unknown[] }> {
  if (restore === undefined) {
    for (const sink of t.sinks) await sink.initializeState(t.sinkContext, undefined);
    return { sourceSplits: [] };
  }
  const state = checkTaskCheckpointSnapshot(restore.state, t.task);
  const known = new Set(t.operatorIds);
  for (const id of Object.keys(state.operators)) {
    // Dropping it would lose data silently (a changed job): say so instead.
    if (!known.has(id)) throw new TaskRestoreError(t.task, `the checkpoint holds state of operator ${id}, which is not in this task`);
  }
  if (state.timers !== undefined) throw new TaskRestoreError(t.task, 'the checkpoint holds timers, which this TaskManager cannot restore');
  const keyed = state.keyed ?? [];
  if (keyed.length > 0) {
    if (t.backend === undefined) throw new TaskRestoreError(t.task, 'the checkpoint holds keyed state, and the task has no keyed operator');
    await t.backend.restore(keyed);
  }
  for (const sink of t.sinks) {
    const s = state.operators[sink.id]?.sink;
    await sink.initializeState(t.sinkContext, s === undefined ? undefined : { checkpointId: restore.checkpointId, committables: s.committables, writerState: s.writerState });
  }
  const splits = t.sourceOperatorId === undefined ? undefined : state.operators[t.sourceOperatorId]?.sourceSplits;
  return { sourceSplits: splits ?? [] };
}

/**
 * What a restarted task is told to restore (TaskDeploymentDescriptor.restore_json): the state its
 * subtask acknowledged in the completed checkpoint, operator by operator of its chain, as recorded in
 * the checkpoint's metadata. (Rescaling will hand a task the key groups of several old subtasks.)
 */
import type { GraphVertex } from '@eddy/common';
import type { CompletedCheckpoint, OperatorSubtaskState } from '../checkpoint/checkpoint-metadata.js';

export interface TaskRestore {
  readonly checkpointId: number;
  readonly operators: readonly ({ readonly operatorId: string } & OperatorSubtaskState)[];
}

export function taskRestore(cp: CompletedCheckpoint, vertex: GraphVertex, subtask: number): TaskRestore {
  const operators = vertex.operators.flatMap((op) => {
    const state = cp.operators.find((o) => o.operatorId === op.id)?.subtasks.find((s) => s.subtask === subtask);
    if (!state) return [];
    const { subtask: _subtask, ...rest } = state;
    return [{ operatorId: op.id, ...rest }];
  });
  return { checkpointId: cp.checkpointId, operators };
}

export function restoreJsonFor(cp: CompletedCheckpoint, vertex: GraphVertex, subtask: number): string {
  return JSON.stringify(taskRestore(cp, vertex, subtask));
}

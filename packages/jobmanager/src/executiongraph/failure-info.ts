/** FailureInfo: why a job or one of its subtasks failed, in the shape clients see (proto Failure). */
import type { FailureFields, GraphVertex } from '@eddy/common';

/** What failureFromReport needs to know about the failed execution. */
export interface FailedSubtask {
  readonly subtaskIndex: number;
  readonly vertex: GraphVertex;
  readonly slot: { readonly taskManagerId: string } | undefined;
}

/** Why a job or a subtask failed, as reported to clients. `subtask` is -1 when not tied to one subtask. */
export interface FailureInfo extends Omit<FailureFields, 'peerFailure'> {
  /** The subtask failed only because a network partner went away: a consequence, not the root cause. */
  readonly peerFailure?: boolean;
}

/** The failure a TaskManager reported, with what it left empty filled from the execution. */
export function failureFromReport(e: FailedSubtask, f: Partial<FailureInfo> | undefined): FailureInfo {
  const head = e.vertex.operators[0];
  return {
    message: f?.message || `subtask ${e.subtaskIndex} of '${e.vertex.name}' failed without a reason`,
    operatorId: f ? (f.operatorId ?? '') : (head?.id ?? ''),
    operatorName: f ? (f.operatorName ?? '') : (head?.name ?? ''),
    subtask: f?.subtask ?? e.subtaskIndex,
    stack: f?.stack ?? '',
    taskManager: f?.taskManager || (e.slot?.taskManagerId ?? ''),
    peerFailure: f?.peerFailure ?? false,
  };
}

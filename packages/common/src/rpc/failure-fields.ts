/** The fields of a proto Failure with proto3's absent values filled in: what both ends of it read. */
import type { eddy } from '@eddy/proto';

export interface FailureFields {
  readonly message: string;
  readonly operatorId: string;
  readonly operatorName: string;
  /** -1 when not tied to one subtask. */
  readonly subtask: number;
  readonly stack: string;
  readonly taskManager: string;
  readonly peerFailure: boolean;
}

export function failureFields(f: eddy.v1.IFailure): FailureFields {
  return {
    message: f.message ?? '',
    operatorId: f.operatorId ?? '',
    operatorName: f.operatorName ?? '',
    subtask: f.subtask ?? -1,
    stack: f.stack ?? '',
    taskManager: f.taskManager ?? '',
    peerFailure: f.peerFailure === true,
  };
}

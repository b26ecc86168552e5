/** The narrow ports a task sees of the world outside its thread. */
import type { SplitAssignment } from '@eddy/common';

export interface TaskPorts {
  /** Asks the source's split enumerator (in the JobManager) for the next split. */
  requestSplit(operatorId: string, subtask: number): Promise<SplitAssignment<unknown>>;
}

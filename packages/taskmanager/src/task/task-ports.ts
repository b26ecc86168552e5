/** The narrow ports a task sees of the world outside its thread. */
import type { SplitAssignment } from '@eddy/common';
import type { CheckpointMetrics, TaskCheckpointSnapshot } from '../checkpoint/task-checkpoint-snapshot.js';

export interface TaskPorts {
  /** Asks the source's split enumerator (in the JobManager) for the next split. */
  requestSplit(operatorId: string, subtask: number): Promise<SplitAssignment<unknown>>;
  /**
   * The task's part of checkpoint `checkpointId` is written: `snapshot` is what the task is restored
   * with. `checkpointId` is FINAL_CHECKPOINT for the final snapshot sent when the input ended.
   */
  acknowledgeCheckpoint(checkpointId: number, snapshot: TaskCheckpointSnapshot, metrics: CheckpointMetrics): void;
  /** The task cannot take part in checkpoint `checkpointId`; `reason` says why. */
  declineCheckpoint(checkpointId: number, reason: string): void;
}

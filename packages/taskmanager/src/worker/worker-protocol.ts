/** Messages between the TaskManager's main thread and its slot worker threads. */
import type { SplitAssignment } from '@eddy/common';
import type { CheckpointMetrics, TaskCheckpointSnapshot } from '../checkpoint/task-checkpoint-snapshot.js';
import type { TaskDescriptor } from '../task/task-descriptor.js';

export interface SlotWorkerData {
  host: string;
  slotIndex: number;
  taskManagerId: string;
  dataPort: number; // 0 = any free port
  /** The slot's own data directory (keyed state). */
  dataDir: string;
}

export interface FailureInfo {
  message: string;
  stack: string;
  operatorId: string;
  operatorName: string;
  /** Failed only because a network partner is gone (the root cause lies elsewhere). */
  peerFailure: boolean;
}

export type ToWorker =
  | { type: 'deploy'; descriptor: TaskDescriptor; artifactPath: string; args: string[] }
  | { type: 'cancel'; attemptId: string }
  | { type: 'split-response'; requestId: number; assignment?: SplitAssignment<unknown>; error?: string }
  /** Checkpoints: to source tasks, and to tasks whose input ended (answered with their final snapshot). */
  | { type: 'trigger-checkpoint'; attemptId: string; checkpointId: number; timestamp: number }
  | { type: 'checkpoint-complete'; attemptId: string; checkpointId: number }
  | { type: 'checkpoint-aborted'; attemptId: string; checkpointId: number; reason?: string };

export interface TaskMetricsMessage {
  jobId: string;
  attemptId: string;
  recordsIn: number;
  recordsOut: number;
  firstRecordTime: number;
}

export type FromWorker =
  | { type: 'ready'; dataPort: number }
  | { type: 'state'; jobId: string; attemptId: string; state: 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELED'; failure?: FailureInfo; recordsIn: number; recordsOut: number; firstRecordTime: number; endTime: number }
  | { type: 'split-request'; requestId: number; jobId: string; operatorId: string; subtask: number }
  | { type: 'metrics'; tasks: TaskMetricsMessage[] }
  /**
   * The task's part of a checkpoint is written: `acknowledgement` is what the JobManager records (see
   * checkpoint-wire-format.ts). `checkpointId` is FINAL_CHECKPOINT (-1) for the final snapshot a task
   * sends when its input ended.
   */
  | { type: 'checkpoint-ack'; jobId: string; attemptId: string; checkpointId: number; acknowledgement: unknown }
  | { type: 'checkpoint-decline'; jobId: string; attemptId: string; checkpointId: number; reason: string };

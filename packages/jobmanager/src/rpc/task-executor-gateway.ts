/**
 * TaskExecutorGateway: the JobManager's view of one TaskManager (JobManager -> TaskManager calls).
 * The gRPC adapter below is the only code that talks to a TaskExecutor; tests may substitute a fake.
 */
import { createClient, TaskExecutorService, type eddy } from '@eddy/common';

export interface TaskExecutorGateway {
  submitTask(descriptor: eddy.v1.ITaskDeploymentDescriptor): Promise<void>;
  cancelTask(jobId: string, attemptId: string): Promise<void>;
  /** Checkpoint `checkpointId` starts at this (source) task. */
  triggerCheckpoint(jobId: string, attemptId: string, checkpointId: number, timestamp: number): Promise<void>;
  notifyCheckpointComplete(jobId: string, attemptId: string, checkpointId: number): Promise<void>;
  notifyCheckpointAborted(jobId: string, attemptId: string, checkpointId: number, reason: string): Promise<void>;
  close(): void;
}

export type TaskExecutorGatewayFactory = (host: string, rpcPort: number) => TaskExecutorGateway;

/** Deadline of every call to a TaskExecutor. */
const CALL_DEADLINE_MS = 10_000;

export function grpcTaskExecutorGatewayFactory(token: string | undefined): TaskExecutorGatewayFactory {
  return (host, rpcPort) => {
    const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${rpcPort}` : `${host}:${rpcPort}`;
    const client = createClient(TaskExecutorService, address, { token, defaultDeadlineMs: CALL_DEADLINE_MS });
    return {
      async submitTask(descriptor) {
        await client.api.SubmitTask(descriptor);
      },
      async cancelTask(jobId, attemptId) {
        await client.api.CancelTask({ jobId, attemptId });
      },
      async triggerCheckpoint(jobId, attemptId, checkpointId, timestamp) {
        await client.api.TriggerCheckpoint({ jobId, attemptId, checkpointId, timestamp });
      },
      async notifyCheckpointComplete(jobId, attemptId, checkpointId) {
        await client.api.NotifyCheckpointComplete({ jobId, attemptId, checkpointId });
      },
      async notifyCheckpointAborted(jobId, attemptId, checkpointId, reason) {
        await client.api.NotifyCheckpointAborted({ jobId, attemptId, checkpointId, reason });
      },
      close: () => client.close(),
    };
  };
}

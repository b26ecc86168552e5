/** The Dispatcher gRPC service (clients -> JobManager): checks each request, then delegates. */
import { DispatcherService, ValidationError, type ServiceHandlers, type eddy } from '@eddy/common';
import type { Dispatcher } from '../dispatcher/dispatcher.js';
import type { CheckpointStatsEntry, CheckpointStatsSnapshot } from '../checkpoint/checkpoint-stats.js';
import type { JobMaster } from '../jobmaster/job-master.js';
import { jobGraphFromProto } from './job-graph-codec.js';
import { requireId } from './request-checks.js';

export type DispatcherHandlers = ServiceHandlers<typeof DispatcherService.methods>;

const MAX_ARGS = 1000;

export function createDispatcherHandlers(dispatcher: Dispatcher): DispatcherHandlers {
  return {
    async SubmitJob(req) {
      if (!req.artifact || req.artifact.length === 0) throw new ValidationError('artifact is empty: submit the bundled job module');
      const args = req.args ?? [];
      if (args.length > MAX_ARGS) throw new ValidationError(`at most ${MAX_ARGS} job arguments are allowed, got ${args.length}`);
      const graph = jobGraphFromProto(req.jobGraph);
      const slotWaitTimeoutMs = req.slotWaitTimeoutMs ? req.slotWaitTimeoutMs : undefined;
      return { jobId: await dispatcher.submit(req.artifact, graph, args, { slotWaitTimeoutMs }) };
    },
    async ListJobs() {
      return {
        jobs: dispatcher.list().map((j) => ({ jobId: j.jobId, name: j.name, state: j.state, startTime: j.startTime, endTime: j.endTime })),
      };
    },
    async GetJobStatus(req) {
      const jobId = requireId('job_id', req.jobId);
      return jobStatus(dispatcher.job(jobId), dispatcher.slotWait(jobId));
    },
    async CancelJob(req) {
      return { state: dispatcher.cancel(requireId('job_id', req.jobId)) };
    },
    async GetClusterOverview() {
      return dispatcher.overview();
    },
  };
}

export function jobStatus(job: JobMaster, slotWait?: eddy.v1.ISlotWait): eddy.v1.IJobStatus {
  return {
    slotWait: slotWait ?? null,
    jobId: job.jobId,
    name: job.name,
    state: job.state,
    startTime: job.startTime,
    endTime: job.endTime,
    failure: job.failure ?? null,
    checkpoints: checkpointStatus(job.checkpointStats),
    restartsTotal: job.restartHistory?.restarts ?? 0,
    restarts: (job.restartHistory?.entries ?? []).map((r) => ({
      failureTime: r.failureTime,
      cause: r.message,
      decision: r.decision,
      delayMs: r.delayMs ?? 0,
      restoredCheckpoint: r.restored?.checkpointId ?? 0,
      restoreTime: r.restored?.time ?? 0,
    })),
    vertices: job.executionGraph.vertices.map(({ vertex, executions }) => ({
      id: vertex.id,
      name: vertex.name,
      parallelism: vertex.parallelism,
      subtasks: executions.map((e) => ({
        index: e.subtaskIndex,
        state: e.state,
        taskManager: e.slot?.taskManagerId ?? '',
        recordsIn: e.recordsIn,
        recordsOut: e.recordsOut,
        firstRecordTime: e.firstRecordTime,
        endTime: e.endTime,
      })),
    })),
  };
}

function checkpointEntry(e: CheckpointStatsEntry): eddy.v1.ICheckpointEntry {
  return {
    id: e.checkpointId,
    status: e.status,
    triggerTime: e.triggerTime,
    durationMs: e.durationMs,
    fullSizeBytes: e.fullSizeBytes,
    incrementalSizeBytes: e.incrementalSizeBytes,
    alignmentMs: e.alignmentMs,
    acknowledgedTasks: e.acknowledgedTasks,
    totalTasks: e.totalTasks,
    failure: e.failureMessage ?? e.failureReason ?? '',
  };
}

function checkpointStatus(s: CheckpointStatsSnapshot | undefined): eddy.v1.ICheckpointStatus | null {
  if (!s) return null;
  return {
    completed: s.counts.completed,
    failed: s.counts.failed,
    inProgress: s.counts.inProgress,
    restored: s.counts.restored,
    latest: s.latestCompleted ? checkpointEntry(s.latestCompleted) : null,
    history: s.history.map(checkpointEntry),
  };
}

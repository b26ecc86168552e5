/** JobStatus as the client returns it: every field present, no protobuf optionals. */
import { failureFields, type eddy } from '@eddy/common';
import { toCheckpointsView, type CheckpointsView } from './checkpoints-view.js';

export interface FailureView {
  message: string;
  operatorId: string;
  operatorName: string;
  subtask: number;
  stack: string;
  taskManager: string;
  /** The subtask failed only because a partner it exchanges records with went away (not the root cause). */
  peerFailure: boolean;
}

export interface SubtaskView {
  index: number;
  state: string;
  taskManager: string;
  recordsIn: number;
  recordsOut: number;
  /** Epoch ms of the subtask's first record (a source: its first emitted record); 0 = none yet. */
  firstRecordTime: number;
  /** Epoch ms the subtask finished, failed or was canceled; 0 = still running. */
  endTime: number;
}

export interface VertexView {
  id: string;
  name: string;
  parallelism: number;
  subtasks: SubtaskView[];
}

/** What a CREATED job waits for: it is deployed as soon as `slotsNeeded` slots are free. */
export interface SlotWaitView {
  slotsNeeded: number;
  slotsFree: number;
  /** Epoch ms at which the job fails if it still waits. */
  deadline: number;
}

export interface RestartView {
  failureTime: number;
  cause: string;
  /** restart, exhausted or not-retryable. */
  decision: string;
  delayMs: number;
  /** The checkpoint the restart restored; 0 = none yet. */
  restoredCheckpoint: number;
  restoreTime: number;
}

export interface JobStatusView {
  jobId: string;
  name: string;
  state: string;
  startTime: number;
  endTime: number;
  failure: FailureView | undefined;
  /** Set while the job waits for slots. */
  slotWait: SlotWaitView | undefined;
  /** Set when the job checkpoints. */
  checkpoints?: CheckpointsView;
  /** Set when the job restarts from checkpoints: restarts so far and every failure, oldest first. */
  restarts?: { total: number; history: RestartView[] };
  vertices: VertexView[];
}

export interface JobSummaryView {
  jobId: string;
  name: string;
  state: string;
  startTime: number;
  endTime: number;
}

export function toJobStatusView(s: eddy.v1.IJobStatus): JobStatusView {
  const f = s.failure;
  return {
    jobId: s.jobId ?? '',
    name: s.name ?? '',
    state: s.state ?? '',
    startTime: s.startTime ?? 0,
    endTime: s.endTime ?? 0,
    failure: f?.message ? failureFields(f) : undefined,
    ...(s.checkpoints ? { checkpoints: toCheckpointsView(s.checkpoints)! } : {}),
    ...(s.restarts && s.restarts.length > 0
      ? {
          restarts: {
            total: s.restartsTotal ?? 0,
            history: s.restarts.map((r) => ({
              failureTime: r.failureTime ?? 0,
              cause: r.cause ?? '',
              decision: r.decision ?? '',
              delayMs: r.delayMs ?? 0,
              restoredCheckpoint: r.restoredCheckpoint ?? 0,
              restoreTime: r.restoreTime ?? 0,
            })),
          },
        }
      : {}),
    slotWait: s.slotWait ? { slotsNeeded: s.slotWait.slotsNeeded ?? 0, slotsFree: s.slotWait.slotsFree ?? 0, deadline: s.slotWait.deadline ?? 0 } : undefined,
    vertices: (s.vertices ?? []).map((v) => ({
      id: v.id ?? '',
      name: v.name ?? '',
      parallelism: v.parallelism ?? 0,
      subtasks: (v.subtasks ?? []).map((t) => ({
        index: t.index ?? 0,
        state: t.state ?? '',
        taskManager: t.taskManager ?? '',
        recordsIn: t.recordsIn ?? 0,
        recordsOut: t.recordsOut ?? 0,
        firstRecordTime: t.firstRecordTime ?? 0,
        endTime: t.endTime ?? 0,
      })),
    })),
  };
}

export function toJobSummaryView(j: eddy.v1.IJobSummary): JobSummaryView {
  return { jobId: j.jobId ?? '', name: j.name ?? '', state: j.state ?? '', startTime: j.startTime ?? 0, endTime: j.endTime ?? 0 };
}

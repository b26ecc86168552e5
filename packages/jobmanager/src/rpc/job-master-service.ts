/** The JobMaster gRPC service (TaskManagers -> JobManager): checks each request, then delegates. */
import { JobMasterService, failureFields, NotFoundError, ValidationError, eddy, type ServiceHandlers } from '@eddy/common';
import type { Dispatcher } from '../dispatcher/dispatcher.js';
import type { ReportedTask, ResourceManager } from '../resourcemanager/resource-manager.js';
import { count, requireHost, requireId, requirePort, requireText } from './request-checks.js';

export type JobMasterHandlers = ServiceHandlers<typeof JobMasterService.methods>;

const MAX_SLOTS = 1024;
const MAX_TASKS = 64 * 1024;
/** An acknowledgement names files and carries small operator state; this bounds what one may hold. */
const MAX_ACK_JSON = 16 * 1024 * 1024;

function requireCheckpointId(value: number | null | undefined): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new ValidationError(`checkpoint_id must be an integer >= 1, got ${String(value)}`);
  return value;
}
const SplitStatus = eddy.v1.SplitResponse.Status;

export interface JobMasterServiceDeps {
  readonly dispatcher: Dispatcher;
  readonly resourceManager: ResourceManager;
  /** Identity of this JobManager process. */
  readonly jobManagerId: string;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
}

export function createJobMasterHandlers(deps: JobMasterServiceDeps): JobMasterHandlers {
  const { dispatcher, resourceManager } = deps;
  return {
    async RegisterTaskManager(req) {
      const id = requireId('task_manager_id', req.taskManagerId);
      const host = requireHost('host', req.host);
      const rpcPort = requirePort('rpc_port', req.rpcPort);
      const offers = req.slots ?? [];
      if (offers.length === 0 || offers.length > MAX_SLOTS) throw new ValidationError(`a TaskManager must offer 1 to ${MAX_SLOTS} slots, got ${offers.length}`);
      const seen = new Set<number>();
      const slots = offers.map((s, i) => {
        const index = s.index ?? 0;
        if (seen.has(index)) throw new ValidationError(`slot index ${index} is offered twice`);
        seen.add(index);
        return { index, dataPort: requirePort(`slots[${i}].data_port`, s.dataPort) };
      });
      // Stray tasks are canceled through the first heartbeat's answer; until then their slots are busy.
      resourceManager.register({ id, host, rpcPort, slots }, reportedTasks(req.tasks));
      return { heartbeatIntervalMs: deps.heartbeatIntervalMs, heartbeatTimeoutMs: deps.heartbeatTimeoutMs, jobManagerId: deps.jobManagerId };
    },
    Connect(req, stream) {
      const id = requireId('task_manager_id', req.taskManagerId);
      if (req.jobManagerId !== deps.jobManagerId || !resourceManager.connect(id, stream)) {
        throw new NotFoundError(`TaskManager ${id} is not registered with this JobManager (${deps.jobManagerId}): register first`);
      }
      stream.send({ jobManagerId: deps.jobManagerId });
    },
    async Heartbeat(req) {
      const id = requireId('task_manager_id', req.taskManagerId);
      // A TaskManager that registered with another JobManager (this one restarted) must register here.
      if (req.jobManagerId !== deps.jobManagerId) return { registered: false };
      const tasks = reportedTasks(req.tasks);
      const cancelAttempts = resourceManager.heartbeat(id, tasks);
      if (!cancelAttempts) return { registered: false };
      for (const t of req.tasks ?? []) {
        if (!t.jobId || !t.attemptId) continue;
        const job = dispatcher.find(t.jobId);
        job?.updateMetrics(t.attemptId, { recordsIn: count(t.recordsIn), recordsOut: count(t.recordsOut), firstRecordTime: count(t.firstRecordTime), endTime: 0 });
      }
      return { registered: true, cancelAttempts };
    },
    async UpdateTaskExecutionState(req) {
      const job = dispatcher.job(requireId('job_id', req.jobId));
      const attemptId = requireId('attempt_id', req.attemptId);
      const state = requireText('state', req.state, 32);
      const f = req.failure;
      const failure = f ? failureFields(f) : undefined;
      job.updateTaskExecutionState(attemptId, state, failure, {
        recordsIn: count(req.recordsIn),
        recordsOut: count(req.recordsOut),
        firstRecordTime: count(req.firstRecordTime),
        endTime: count(req.endTime),
      });
      return {};
    },
    async AcknowledgeCheckpoint(req) {
      const job = dispatcher.job(requireId('job_id', req.jobId));
      const attemptId = requireId('attempt_id', req.attemptId);
      const checkpointId = requireCheckpointId(req.checkpointId);
      const json = req.acknowledgementJson ?? '';
      if (json.length > MAX_ACK_JSON) throw new ValidationError(`acknowledgement_json is over ${MAX_ACK_JSON} bytes`);
      let acknowledgement: unknown;
      try {
        acknowledgement = JSON.parse(json);
      } catch (e) {
        throw new ValidationError(`acknowledgement_json is not JSON: ${(e as Error).message}`);
      }
      // The coordinator checks the acknowledgement itself; an invalid one fails that checkpoint.
      job.acknowledgeCheckpoint(attemptId, checkpointId, acknowledgement);
      return {};
    },
    async DeclineCheckpoint(req) {
      const job = dispatcher.job(requireId('job_id', req.jobId));
      job.declineCheckpoint(requireId('attempt_id', req.attemptId), requireCheckpointId(req.checkpointId), requireText('reason', req.reason || 'no reason given', 4096));
      return {};
    },
    async RequestSplit(req) {
      const job = dispatcher.job(requireId('job_id', req.jobId));
      const operatorId = requireText('operator_id', req.operatorId);
      const answer = job.requestSplit(operatorId, req.subtask ?? 0);
      switch (answer.kind) {
        case 'split':
          return { status: SplitStatus.ASSIGNED, splitJson: answer.splitJson };
        case 'none-yet':
          return { status: SplitStatus.NONE_YET };
        case 'no-more':
          return { status: SplitStatus.NO_MORE };
      }
    },
    async GetArtifact(req) {
      const a = await dispatcher.artifact(requireId('job_id', req.jobId));
      return { artifact: a.bytes, args: [...a.args], sha256: a.sha256 };
    },
  };
}

/** The tasks a TaskManager says it runs; entries without ids are dropped. */
function reportedTasks(tasks: readonly eddy.v1.ITaskMetrics[] | null | undefined): ReportedTask[] {
  const list = tasks ?? [];
  if (list.length > MAX_TASKS) throw new ValidationError(`at most ${MAX_TASKS} tasks may be reported, got ${list.length}`);
  return list
    .filter((t) => typeof t.jobId === 'string' && t.jobId !== '' && typeof t.attemptId === 'string' && t.attemptId !== '')
    .map((t) => ({ jobId: t.jobId!, attemptId: t.attemptId!, slotIndex: t.slotIndex ?? 0 }));
}

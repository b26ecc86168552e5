/** The JobMaster gRPC service (TaskManagers -> JobManager): checks each request, then delegates. */
import { JobMasterService, ValidationError, eddy, type ServiceHandlers } from '@eddy/common';
import type { Dispatcher } from '../dispatcher/dispatcher.js';
import type { ResourceManager } from '../resourcemanager/resource-manager.js';
import { count, requireHost, requireId, requirePort, requireText } from './request-checks.js';

export type JobMasterHandlers = ServiceHandlers<typeof JobMasterService.methods>;

const MAX_SLOTS = 1024;
const SplitStatus = eddy.v1.SplitResponse.Status;

export interface JobMasterServiceDeps {
  readonly dispatcher: Dispatcher;
  readonly resourceManager: ResourceManager;
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
      resourceManager.register({ id, host, rpcPort, slots });
      return { heartbeatIntervalMs: deps.heartbeatIntervalMs, heartbeatTimeoutMs: deps.heartbeatTimeoutMs };
    },
    async Heartbeat(req) {
      const id = requireId('task_manager_id', req.taskManagerId);
      if (!resourceManager.heartbeat(id)) return { registered: false };
      for (const t of req.tasks ?? []) {
        if (!t.jobId || !t.attemptId) continue;
        const job = dispatcher.find(t.jobId);
        job?.updateMetrics(t.attemptId, { recordsIn: count(t.recordsIn), recordsOut: count(t.recordsOut), firstRecordTime: count(t.firstRecordTime), endTime: 0 });
      }
      return { registered: true };
    },
    async UpdateTaskExecutionState(req) {
      const job = dispatcher.job(requireId('job_id', req.jobId));
      const attemptId = requireId('attempt_id', req.attemptId);
      const state = requireText('state', req.state, 32);
      const f = req.failure;
      const failure = f
        ? {
            message: f.message ?? '',
            operatorId: f.operatorId ?? '',
            operatorName: f.operatorName ?? '',
            subtask: f.subtask ?? -1,
            stack: f.stack ?? '',
            taskManager: f.taskManager ?? '',
            peerFailure: f.peerFailure === true,
          }
        : undefined;
      job.updateTaskExecutionState(attemptId, state, failure, {
        recordsIn: count(req.recordsIn),
        recordsOut: count(req.recordsOut),
        firstRecordTime: count(req.firstRecordTime),
        endTime: count(req.endTime),
      });
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

/**
 * Entry of a slot's worker thread. It owns the slot's network environment (a data server) and runs the
 * tasks deployed to the slot, one cooperative loop each. It loads the job artifact and rebuilds the
 * plan from the job function, then picks its operators by id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { errorMessage, errorStack, importJobArtifact, isErrorNamed, isJobModule, JsonLogger, KEYED_KINDS, type JobModule, type SplitAssignment } from '@eddy/common';
import { toAcknowledgement } from '../checkpoint/checkpoint-wire-format.js';
import { NetworkEnvironment } from '../network/index.js';
import { StreamTask } from '../task/stream-task.js';
import type { TaskDescriptor } from '../task/task-descriptor.js';
import type { TaskPorts } from '../task/task-ports.js';
import type { FromWorker, SlotWorkerData, ToWorker } from './worker-protocol.js';

const data = workerData as SlotWorkerData;
const port = parentPort!;
const logger = new JsonLogger({ component: 'slot', taskManagerId: data.taskManagerId, slot: data.slotIndex });
const tasks = new Map<string, StreamTask>();
// Attempts deployed here whose task does not exist yet (the job module is still loading), and those of
// them already canceled: a cancel can overtake a slow load, and dropping it would let the task start
// and run on after its job was declared CANCELED.
const loading = new Map<string, string>(); // attempt id -> job id
const canceledWhileLoading = new Set<string>();
const modules = new Map<string, Promise<JobModule>>();
const pendingSplits = new Map<number, { resolve: (a: SplitAssignment<unknown>) => void; reject: (e: Error) => void }>();
let nextRequestId = 1;

const post = (m: FromWorker): void => port.postMessage(m);

const net = await NetworkEnvironment.start({ host: data.host, port: data.dataPort, logger });
post({ type: 'ready', dataPort: net.port });

setInterval(() => {
  if (tasks.size === 0) return;
  post({
    type: 'metrics',
    tasks: [...tasks.values()].map((t) => ({ jobId: t.descriptor.jobId, attemptId: t.descriptor.attemptId, recordsIn: t.recordsIn, recordsOut: t.recordsOut, firstRecordTime: t.firstRecordTime })),
  });
}, 500).unref();

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'deploy':
      void deploy(m.descriptor, m.artifactPath, m.args);
      break;
    case 'cancel': {
      const task = tasks.get(m.attemptId);
      if (task) task.cancel();
      else if (loading.has(m.attemptId)) canceledWhileLoading.add(m.attemptId);
      break;
    }
    case 'trigger-checkpoint': {
      const task = tasks.get(m.attemptId);
      const jobId = loading.get(m.attemptId);
      if (task) task.triggerCheckpoint(m.checkpointId, m.timestamp);
      // Still loading its job module: say so rather than let the checkpoint wait for its timeout.
      else if (jobId !== undefined) post({ type: 'checkpoint-decline', jobId, attemptId: m.attemptId, checkpointId: m.checkpointId, reason: 'the task is not running yet' });
      break;
    }
    case 'checkpoint-complete':
      tasks.get(m.attemptId)?.notifyCheckpointComplete(m.checkpointId);
      break;
    case 'checkpoint-aborted':
      tasks.get(m.attemptId)?.notifyCheckpointAborted(m.checkpointId);
      break;
    case 'split-response': {
      const p = pendingSplits.get(m.requestId);
      pendingSplits.delete(m.requestId);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else if (m.assignment) p?.resolve(m.assignment);
      break;
    }
  }
});

function loadModule(jobId: string, artifactPath: string): Promise<JobModule> {
  let p = modules.get(jobId);
  if (!p) {
    p = importJobArtifact(artifactPath, (s) => import.meta.resolve(s)).then((mod) => {
      if (!isJobModule(mod.default)) throw new Error('the job module has no default export built with defineJob()');
      return mod.default;
    });
    modules.set(jobId, p);
  }
  return p;
}

function requestSplit(jobId: string, operatorId: string, subtask: number): Promise<SplitAssignment<unknown>> {
  const requestId = nextRequestId++;
  return new Promise((resolve, reject) => {
    pendingSplits.set(requestId, { resolve, reject });
    post({ type: 'split-request', requestId, jobId, operatorId, subtask });
  });
}

async function deploy(d: TaskDescriptor, artifactPath: string, args: string[]): Promise<void> {
  const log = logger.child({ jobId: d.jobId, attemptId: d.attemptId, vertex: d.vertexId, subtask: d.subtaskIndex });
  let task: StreamTask | undefined;
  loading.set(d.attemptId, d.jobId);
  try {
    const mod = await loadModule(d.jobId, artifactPath);
    if (canceledWhileLoading.has(d.attemptId)) {
      post({ type: 'state', jobId: d.jobId, attemptId: d.attemptId, state: 'CANCELED', recordsIn: 0, recordsOut: 0, firstRecordTime: 0, endTime: Date.now() });
      log.info('task canceled before it started');
      return;
    }
    const plan = mod.plan(args, { defaultParallelism: d.parallelism });
    const ports: TaskPorts = {
      requestSplit: (op, s) => requestSplit(d.jobId, op, s),
      acknowledgeCheckpoint: (checkpointId, snapshot, metrics) => {
        const acknowledgement = toAcknowledgement(snapshot, {
          checkpointDir: d.checkpointing!.checkpointDir,
          operatorIds: d.operatorIds,
          keyedOperatorId: d.operatorIds.find((id) => KEYED_KINDS.has(plan.nodes.find((n) => n.id === id)?.spec.kind ?? 'map')),
          metrics,
        });
        post({ type: 'checkpoint-ack', jobId: d.jobId, attemptId: d.attemptId, checkpointId, acknowledgement });
      },
      declineCheckpoint: (checkpointId, reason) => post({ type: 'checkpoint-decline', jobId: d.jobId, attemptId: d.attemptId, checkpointId, reason }),
    };
    task = new StreamTask(d, plan, net, ports, { dataDir: data.dataDir, now: Date.now });
    tasks.set(d.attemptId, task);
    post({ type: 'state', jobId: d.jobId, attemptId: d.attemptId, state: 'RUNNING', recordsIn: 0, recordsOut: 0, firstRecordTime: 0, endTime: 0 });
    log.info('task running');
    await task.run();
    const canceled = task.isCanceled;
    post({ type: 'state', jobId: d.jobId, attemptId: d.attemptId, state: canceled ? 'CANCELED' : 'FINISHED', recordsIn: task.recordsIn, recordsOut: task.recordsOut, firstRecordTime: task.firstRecordTime, endTime: Date.now() });
    log.info(canceled ? 'task canceled' : 'task finished', { recordsIn: task.recordsIn, recordsOut: task.recordsOut });
  } catch (e) {
    const named = e as { operatorId?: string; operatorName?: string; cause?: unknown };
    const cause = named.operatorId !== undefined ? named.cause : e;
    log.warn('task failed', { error: errorMessage(e) });
    post({
      type: 'state',
      jobId: d.jobId,
      attemptId: d.attemptId,
      state: 'FAILED',
      failure: { message: errorMessage(e), stack: errorStack(cause), operatorId: named.operatorId ?? '', operatorName: named.operatorName ?? '', peerFailure: isErrorNamed(e, 'DataChannelError') },
      recordsIn: task?.recordsIn ?? 0,
      recordsOut: task?.recordsOut ?? 0,
      firstRecordTime: task?.firstRecordTime ?? 0,
      endTime: Date.now(),
    });
  } finally {
    loading.delete(d.attemptId);
    canceledWhileLoading.delete(d.attemptId);
    tasks.delete(d.attemptId);
  }
}

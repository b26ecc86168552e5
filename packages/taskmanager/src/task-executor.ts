/**
 * The TaskManager process's main thread: registers with the JobManager, offers its slots, heartbeats
 * (JobManagerConnection), serves the TaskExecutor RPCs (deploy, cancel), fetches job artifacts, and
 * relays between the slot workers and the JobManager (task states, split requests, metrics). It never
 * touches records.
 *
 * Every task belongs to the JobManager that deployed it. When that JobManager stays unreachable for
 * the JobManager timeout, or a different JobManager answers the registration, or the JobManager says
 * it does not run a task, the task is canceled (JobManagerMonitor): no task runs on for nobody.
 */
import type { Server } from '@grpc/grpc-js';
import {
  addService,
  bindServer,
  createClient,
  createServer,
  errorMessage,
  isSafeId,
  JobMasterService,
  newTaskManagerId,
  shutdownServer,
  isErrorNamed,
  TaskExecutorService,
  ValidationError,
  type ClosableClient,
  type eddy,
  type SplitAssignment,
} from '@eddy/common';
import { JobFiles } from './data-dir/job-files.js';
import { JobManagerConnection } from './connection/job-manager-connection.js';
import { JobManagerMonitor, nodeMonitorTimers } from './connection/job-manager-monitor.js';
import { SlotPool } from './slot-pool.js';
import { taskDescriptorFromProto } from './task/task-descriptor.js';
import { compileTaskExecutorOptions, type CompiledTaskExecutorOptions, type TaskExecutorOptions } from './task-executor-options.js';
import type { FailureInfo, FromWorker, TaskMetricsMessage } from './worker/worker-protocol.js';

interface Attempt {
  jobId: string;
  /** The JobManager that deployed the attempt. */
  jobManagerId: string;
  /** Canceled because its JobManager is gone or does not run it: its end is reported to nobody. */
  orphaned: boolean;
  subtask: number;
  slot: number;
  recordsIn: number;
  recordsOut: number;
  firstRecordTime: number;
}

export class TaskExecutor {
  readonly id = newTaskManagerId();
  private readonly opts: CompiledTaskExecutorOptions;
  private readonly jm: ClosableClient<typeof JobMasterService.methods>;
  private readonly attempts = new Map<string, Attempt>();
  private files: JobFiles | undefined;
  /** Attempts whose artifact is being fetched, and whether a cancel came meanwhile. */
  private readonly fetching = new Map<string, { canceled: boolean }>();
  private server: Server | undefined;
  private slots: SlotPool | undefined;
  private readonly monitor: JobManagerMonitor;
  private connection: JobManagerConnection | undefined;
  private closed = false;
  port = 0;

  private constructor(options: TaskExecutorOptions) {
    this.opts = compileTaskExecutorOptions(options);
    this.jm = createClient(JobMasterService, this.opts.jobManager, { token: this.opts.token, defaultDeadlineMs: 10_000 });
    this.monitor = new JobManagerMonitor({
      timeoutMs: this.opts.jobManagerTimeoutMs,
      logger: this.opts.logger,
      clock: Date.now,
      timers: nodeMonitorTimers,
      onLost: () => this.orphan(() => true, 'its JobManager is lost'),
      onReplaced: (_previous, current) => this.orphan((a) => a.jobManagerId !== current, 'its JobManager was replaced'),
    });
  }

  static async start(options: TaskExecutorOptions): Promise<TaskExecutor> {
    const te = new TaskExecutor(options);
    try {
      await te.startServices();
    } catch (e) {
      await te.close();
      throw e;
    }
    return te;
  }

  private get log() {
    return this.opts.logger;
  }

  private async startServices(): Promise<void> {
    this.files = new JobFiles(this.opts.dataDir, this.log);
    this.slots = await SlotPool.start(this.opts.slots, this.opts.host, this.id, this.opts.dataDir, this.opts.slotHeapMb, {
      onMessage: (slot, m) => this.onWorkerMessage(slot, m),
      onWorkerLost: (_slot, attempts, reason) => {
        for (const a of attempts) {
          this.reportState(a, 'FAILED', { message: reason, stack: '', operatorId: '', operatorName: '', peerFailure: false }, Date.now());
          // Gone with the worker: no longer reported as running, so the JobManager sees its slot free.
          this.attempts.delete(a);
          this.files!.attemptEnded(a);
        }
      },
    }, this.log);
    this.server = createServer();
    addService(this.server, TaskExecutorService, {
      SubmitTask: (req) => this.submitTask(req),
      TriggerCheckpoint: async (req) => {
        this.toTask(req.attemptId, (slot) => this.slots!.send(slot, { type: 'trigger-checkpoint', attemptId: req.attemptId, checkpointId: req.checkpointId, timestamp: req.timestamp }));
        return {};
      },
      NotifyCheckpointComplete: async (req) => {
        this.toTask(req.attemptId, (slot) => this.slots!.send(slot, { type: 'checkpoint-complete', attemptId: req.attemptId, checkpointId: req.checkpointId }));
        return {};
      },
      NotifyCheckpointAborted: async (req) => {
        this.toTask(req.attemptId, (slot) => this.slots!.send(slot, { type: 'checkpoint-aborted', attemptId: req.attemptId, checkpointId: req.checkpointId, reason: req.reason }));
        return {};
      },
      CancelTask: async (req) => {
        const a = this.attempts.get(req.attemptId);
        if (a) this.slots!.send(a.slot, { type: 'cancel', attemptId: req.attemptId });
        else {
          // Still fetching its artifact: remembered, so that it is never deployed.
          const fetching = this.fetching.get(req.attemptId);
          if (fetching) fetching.canceled = true;
        }
        return {};
      },
    }, { token: this.opts.token, logger: this.log });
    this.port = await bindServer(this.server, this.opts.host, this.opts.port);
    this.connection = new JobManagerConnection({
      client: this.jm,
      monitor: this.monitor,
      logger: this.log,
      taskManagerId: this.id,
      jobManagerAddress: this.opts.jobManager,
      host: this.opts.host,
      rpcPort: () => this.port,
      dataPorts: () => this.slots!.dataPorts,
      runningTasks: () => this.runningTasks(),
      cancelStrays: (ids) => this.orphan((a, attemptId) => ids.includes(attemptId), 'its JobManager does not run it'),
    });
    await this.connection.start(this.opts.registrationTimeoutMs);
    this.log.info('taskmanager started', { taskManagerId: this.id, port: this.port, slots: this.opts.slots, dataPorts: this.slots.dataPorts });
  }

  private runningTasks(): eddy.v1.ITaskMetrics[] {
    return [...this.attempts].map(([attemptId, a]) => ({
      jobId: a.jobId,
      attemptId,
      slotIndex: a.slot,
      recordsIn: a.recordsIn,
      recordsOut: a.recordsOut,
      firstRecordTime: a.firstRecordTime,
    }));
  }

  /** Cancels every attempt `which` picks, for `reason`; their ends are not reported (nobody waits for them). */
  private orphan(which: (a: Attempt, attemptId: string) => boolean, reason: string): void {
    const picked = [...this.attempts].filter(([id, a]) => !a.orphaned && which(a, id));
    if (picked.length === 0) return;
    this.log.warn('canceling tasks', { reason, attempts: picked.map(([id]) => id) });
    for (const [attemptId, a] of picked) {
      a.orphaned = true;
      this.slots!.send(a.slot, { type: 'cancel', attemptId });
    }
  }

  private async submitTask(req: eddy.v1.TaskDeploymentDescriptor): Promise<eddy.v1.IAck> {
    if (!isSafeId(req.jobId) || !isSafeId(req.attemptId)) throw new ValidationError('invalid job or attempt id');
    if (req.slotIndex >= this.slots!.size) throw new ValidationError(`slot ${req.slotIndex} does not exist (this TaskManager has ${this.slots!.size})`);
    const descriptor = taskDescriptorFromProto(req);
    this.files!.attemptStarted(req.jobId, req.attemptId);
    let artifact;
    const fetching = { canceled: false };
    this.fetching.set(req.attemptId, fetching);
    try {
      artifact = await this.files!.artifact(req.jobId, () => this.jm.api.GetArtifact({ jobId: req.jobId }, { deadlineMs: 60_000 }));
    } catch (e) {
      this.files!.attemptEnded(req.attemptId);
      throw e;
    } finally {
      this.fetching.delete(req.attemptId);
    }
    this.attempts.set(req.attemptId, { jobId: req.jobId, jobManagerId: req.jobManagerId, orphaned: false, subtask: req.subtaskIndex, slot: req.slotIndex, recordsIn: 0, recordsOut: 0, firstRecordTime: 0 });
    if (fetching.canceled) {
      this.reportState(req.attemptId, 'CANCELED', undefined, Date.now());
      this.attempts.delete(req.attemptId);
      this.files!.attemptEnded(req.attemptId);
      return {};
    }
    this.slots!.send(req.slotIndex, { type: 'deploy', descriptor, artifactPath: artifact.path, args: artifact.args });
    return {};
  }

  /** Hands a checkpoint message to the slot of a running attempt; one this TaskManager does not run is dropped (it ended). */
  private toTask(attemptId: string, send: (slot: number) => void): void {
    const a = this.attempts.get(attemptId);
    if (a) send(a.slot);
  }

  private onWorkerMessage(slot: number, m: FromWorker): void {
    switch (m.type) {
      case 'checkpoint-ack':
        this.jm.api
          .AcknowledgeCheckpoint({ jobId: m.jobId, attemptId: m.attemptId, checkpointId: m.checkpointId, acknowledgementJson: JSON.stringify(m.acknowledgement) })
          .catch((e: unknown) => this.log.warn('cannot acknowledge checkpoint', { attemptId: m.attemptId, checkpointId: m.checkpointId, error: errorMessage(e) }));
        break;
      case 'checkpoint-decline':
        this.jm.api
          .DeclineCheckpoint({ jobId: m.jobId, attemptId: m.attemptId, checkpointId: m.checkpointId, reason: m.reason })
          .catch((e: unknown) => this.log.warn('cannot decline checkpoint', { attemptId: m.attemptId, checkpointId: m.checkpointId, error: errorMessage(e) }));
        break;
      case 'state': {
        const a = this.attempts.get(m.attemptId);
        if (a) {
          a.recordsIn = m.recordsIn;
          a.recordsOut = m.recordsOut;
          a.firstRecordTime = m.firstRecordTime;
        }
        this.reportState(m.attemptId, m.state, m.failure, m.endTime);
        if (m.state !== 'RUNNING') {
          this.attempts.delete(m.attemptId);
          this.slots!.release(slot, m.attemptId);
          this.files!.attemptEnded(m.attemptId);
        }
        break;
      }
      case 'metrics':
        this.updateMetrics(m.tasks);
        break;
      case 'split-request':
        this.jm.api.RequestSplit({ jobId: m.jobId, operatorId: m.operatorId, subtask: m.subtask }).then(
          (res) => {
            const assignment: SplitAssignment<unknown> =
              res.status === 1 ? { kind: 'split', split: JSON.parse(res.splitJson) as unknown } : res.status === 2 ? { kind: 'none-yet' } : { kind: 'no-more' };
            this.slots!.send(slot, { type: 'split-response', requestId: m.requestId, assignment });
          },
          (e: unknown) => this.slots!.send(slot, { type: 'split-response', requestId: m.requestId, error: `split request failed: ${errorMessage(e)}` }),
        );
        break;
    }
  }

  private updateMetrics(tasks: TaskMetricsMessage[]): void {
    for (const t of tasks) {
      const a = this.attempts.get(t.attemptId);
      if (a) {
        a.recordsIn = t.recordsIn;
        a.recordsOut = t.recordsOut;
        a.firstRecordTime = t.firstRecordTime;
      }
    }
  }

  private reportState(attemptId: string, state: string, failure?: FailureInfo, endTime = 0): void {
    const a = this.attempts.get(attemptId);
    if (a?.orphaned) {
      this.log.info('orphaned task ended', { attemptId, jobId: a.jobId, state });
      return;
    }
    const update: eddy.v1.ITaskExecutionState = {
      jobId: a?.jobId ?? '',
      attemptId,
      state,
      recordsIn: a?.recordsIn ?? 0,
      recordsOut: a?.recordsOut ?? 0,
      firstRecordTime: a?.firstRecordTime ?? 0,
      endTime,
      ...(failure ? { failure: { ...failure, subtask: a?.subtask ?? -1, taskManager: this.id } } : {}),
    };
    const send = (tries: number): void => {
      this.jm.api.UpdateTaskExecutionState(update).catch((e: unknown) => {
        // Only a JobManager that cannot be reached now is worth asking again; one that does not know the job never will.
        if (tries > 0 && !this.closed && isErrorNamed(e, 'UnavailableError')) setTimeout(() => send(tries - 1), 500);
        else this.log.warn('cannot report task state', { attemptId, state, error: errorMessage(e) });
      });
    };
    send(10);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.monitor.close();
    await this.connection?.close();
    await this.slots?.close();
    if (this.server) await shutdownServer(this.server);
    this.jm.close();
  }
}

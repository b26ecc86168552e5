/**
 * A fake TaskManager for tests: a real gRPC TaskExecutor server that records what the JobManager sends
 * it, plus a real JobMaster client to register, heartbeat and report task states.
 */
import * as grpc from '@grpc/grpc-js';
import {
  JobMasterService,
  TaskExecutorService,
  addService,
  bindServer,
  createClient,
  createServer,
  shutdownServer,
  silentLogger,
  type ClientStream,
  type ClosableClient,
  type eddy,
} from '@eddy/common';

export interface FakeTaskManagerOptions {
  readonly id: string;
  readonly jobManagerPort: number;
  readonly slots: number;
  readonly token?: string;
  /** Data port of slot i is `dataPortBase + i`. */
  readonly dataPortBase: number;
}

export class FakeTaskManager {
  readonly submitted: eddy.v1.TaskDeploymentDescriptor[] = [];
  readonly canceled: eddy.v1.CancelTaskRequest[] = [];
  readonly triggered: eddy.v1.TriggerCheckpointRequest[] = [];
  readonly completed: eddy.v1.CheckpointNotification[] = [];
  readonly aborted: eddy.v1.CheckpointNotification[] = [];
  /** Called for every trigger (e.g. to acknowledge it as a task would). */
  onTrigger: ((req: eddy.v1.TriggerCheckpointRequest) => void) | undefined;
  /** Set to make SubmitTask fail with this message. */
  failSubmitWith: string | undefined;
  /** Like a real TaskManager, report CANCELED for every canceled attempt (off: the test confirms). */
  confirmCancels = true;
  /** Tasks reported as running at registration and in heartbeats (like a TaskManager whose JobManager died). */
  running: eddy.v1.ITaskMetrics[] = [];
  /** What the last heartbeat answered. */
  lastHeartbeat: eddy.v1.HeartbeatResponse | undefined;
  /** The JobManager id of the last registration. */
  jobManagerId = '';
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private connection: ClientStream<eddy.v1.ConnectEvent> | undefined;

  private constructor(
    readonly options: FakeTaskManagerOptions,
    readonly rpcPort: number,
    private readonly server: grpc.Server,
    readonly jobMaster: ClosableClient<typeof JobMasterService.methods>,
  ) {}

  static async start(options: FakeTaskManagerOptions): Promise<FakeTaskManager> {
    const server = createServer();
    let self: FakeTaskManager | undefined;
    addService(
      server,
      TaskExecutorService,
      {
        async SubmitTask(tdd) {
          if (self?.failSubmitWith !== undefined) throw new Error(self.failSubmitWith);
          self?.submitted.push(tdd);
          return {};
        },
        async TriggerCheckpoint(req) {
          self?.triggered.push(req);
          self?.onTrigger?.(req);
          return {};
        },
        async NotifyCheckpointComplete(req) {
          self?.completed.push(req);
          return {};
        },
        async NotifyCheckpointAborted(req) {
          self?.aborted.push(req);
          return {};
        },
        async CancelTask(req) {
          self?.canceled.push(req);
          if (self?.confirmCancels) setImmediate(() => self?.report(req.jobId, req.attemptId, 'CANCELED').catch(() => undefined));
          return {};
        },
      },
      { token: options.token, logger: silentLogger },
    );
    const rpcPort = await bindServer(server, '127.0.0.1', 0);
    const client = createClient(JobMasterService, `127.0.0.1:${options.jobManagerPort}`, { token: options.token, defaultDeadlineMs: 5000 });
    self = new FakeTaskManager(options, rpcPort, server, client);
    return self;
  }

  async register(): Promise<eddy.v1.RegisterTaskManagerResponse> {
    const res = await this.jobMaster.api.RegisterTaskManager({
      taskManagerId: this.options.id,
      host: '127.0.0.1',
      rpcPort: this.rpcPort,
      slots: Array.from({ length: this.options.slots }, (_, i) => ({ index: i, dataPort: this.options.dataPortBase + i })),
      tasks: this.running,
    });
    this.jobManagerId = res.jobManagerId;
    return res;
  }

  /** Opens the Connect stream; resolves once the JobManager accepted it. */
  connect(): Promise<eddy.v1.ConnectEvent> {
    const stream = this.jobMaster.api.Connect({ taskManagerId: this.options.id, jobManagerId: this.jobManagerId });
    this.connection = stream;
    return new Promise((resolve, reject) => {
      stream.onMessage(resolve);
      stream.onEnd((e) => reject(e ?? new Error('the stream ended')));
    });
  }

  /** Ends the Connect stream from this side, as a TaskManager process that dies does. */
  disconnect(): void {
    this.connection?.cancel();
    this.connection = undefined;
  }

  async heartbeat(): Promise<eddy.v1.HeartbeatResponse> {
    this.lastHeartbeat = await this.jobMaster.api.Heartbeat({ taskManagerId: this.options.id, tasks: this.running, jobManagerId: this.jobManagerId });
    return this.lastHeartbeat;
  }

  startHeartbeats(intervalMs: number): void {
    this.heartbeatTimer = setInterval(() => {
      this.heartbeat().catch(() => undefined);
    }, intervalMs);
  }

  stopHeartbeats(): void {
    clearInterval(this.heartbeatTimer);
  }

  async report(jobId: string, attemptId: string, state: string, failure?: eddy.v1.IFailure): Promise<void> {
    await this.jobMaster.api.UpdateTaskExecutionState({ jobId, attemptId, state, failure, recordsIn: 10, recordsOut: 5 });
  }

  /** Stops serving TaskExecutor calls (they fail as unreachable), as a TaskManager process that died. */
  async stopServer(): Promise<void> {
    this.server.forceShutdown();
  }

  async close(): Promise<void> {
    this.stopHeartbeats();
    this.disconnect();
    this.jobMaster.close();
    await shutdownServer(this.server, 500);
  }
}

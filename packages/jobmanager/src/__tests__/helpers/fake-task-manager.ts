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
  /** Set to make SubmitTask fail with this message. */
  failSubmitWith: string | undefined;
  /** Like a real TaskManager, report CANCELED for every canceled attempt (off: the test confirms). */
  confirmCancels = true;
  private heartbeatTimer: NodeJS.Timeout | undefined;

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
    return this.jobMaster.api.RegisterTaskManager({
      taskManagerId: this.options.id,
      host: '127.0.0.1',
      rpcPort: this.rpcPort,
      slots: Array.from({ length: this.options.slots }, (_, i) => ({ index: i, dataPort: this.options.dataPortBase + i })),
    });
  }

  startHeartbeats(intervalMs: number): void {
    this.heartbeatTimer = setInterval(() => {
      this.jobMaster.api.Heartbeat({ taskManagerId: this.options.id, tasks: [] }).catch(() => undefined);
    }, intervalMs);
  }

  stopHeartbeats(): void {
    clearInterval(this.heartbeatTimer);
  }

  async report(jobId: string, attemptId: string, state: string, failure?: eddy.v1.IFailure): Promise<void> {
    await this.jobMaster.api.UpdateTaskExecutionState({ jobId, attemptId, state, failure, recordsIn: 10, recordsOut: 5 });
  }

  async close(): Promise<void> {
    this.stopHeartbeats();
    this.jobMaster.close();
    await shutdownServer(this.server, 500);
  }
}

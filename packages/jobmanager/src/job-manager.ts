/**
 * JobManager: the coordinator process. One gRPC server carries both the Dispatcher service (clients)
 * and the JobMaster service (TaskManagers); behind it sit the ResourceManager (TaskManagers and slots),
 * the HeartbeatMonitor, the Dispatcher (one JobMaster per job) and, optionally, a Prometheus endpoint.
 *
 * Every start has a new `id` (the JobManager's identity), which TaskManagers learn at registration:
 * a TaskManager that finds another id after a reconnect knows that its tasks belong to a JobManager
 * that is gone, and cancels them.
 *
 * Lifecycle: `start()` binds everything or fails cleanly; `close()` ends the TaskManagers' Connect
 * streams, stops accepting calls, stops timers and closes connections to TaskManagers. Running tasks
 * are left alone: a TaskManager cancels them itself when it cannot reach its JobManager for its
 * JobManager timeout, or at once when it finds a new JobManager there.
 */
import { mkdir } from 'node:fs/promises';
import type * as grpc from '@grpc/grpc-js';
import {
  DispatcherService,
  JobMasterService,
  addService,
  bindServer,
  createServer,
  errorStack,
  newJobManagerId,
  shutdownServer,
  type Logger,
} from '@eddy/common';
import { ArtifactStore } from './dispatcher/artifact-store.js';
import { Dispatcher } from './dispatcher/dispatcher.js';
import { compileJobManagerOptions, type CompiledJobManagerOptions, type JobManagerOptions } from './job-manager-options.js';
import { startMetricsServer, type MetricsServer } from './metrics/metrics-server.js';
import { renderMetrics } from './metrics/prometheus.js';
import { HeartbeatMonitor } from './resourcemanager/heartbeat-monitor.js';
import { ResourceManager } from './resourcemanager/resource-manager.js';
import { createDispatcherHandlers } from './rpc/dispatcher-service.js';
import { createJobMasterHandlers } from './rpc/job-master-service.js';
import { grpcTaskExecutorGatewayFactory } from './rpc/task-executor-gateway.js';
import { nodeTimers } from './timers.js';

type JobManagerState = 'RUNNING' | 'CLOSING' | 'CLOSED';

export class JobManager {
  private state: JobManagerState = 'RUNNING';

  private constructor(
    /** This JobManager's identity, new at every start. */
    readonly id: string,
    /** The bound gRPC port. */
    readonly port: number,
    /** The bound metrics port, when metrics are served. */
    readonly metricsPort: number | undefined,
    private readonly server: grpc.Server,
    private readonly resourceManager: ResourceManager,
    private readonly heartbeats: HeartbeatMonitor,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: MetricsServer | undefined,
    private readonly logger: Logger,
  ) {}

  /** Validates the options, binds the gRPC (and metrics) server, and starts watching heartbeats. */
  static async start(options: JobManagerOptions = {}): Promise<JobManager> {
    const o: CompiledJobManagerOptions = compileJobManagerOptions(options);
    await mkdir(o.dataDir, { recursive: true });
    const logger = o.logger;
    const id = newJobManagerId();
    const resourceManager: ResourceManager = new ResourceManager({
      logger: logger.child({ component: 'resource-manager' }),
      clock: o.clock,
      gateways: grpcTaskExecutorGatewayFactory(o.token),
      runsTask: (task, taskManagerId) => dispatcher.runsTask(task, taskManagerId),
    });
    const dispatcher: Dispatcher = new Dispatcher({
      resourceManager,
      store: new ArtifactStore(o.dataDir),
      logger: logger.child({ component: 'job-master' }),
      clock: o.clock,
      timers: nodeTimers,
      jobManagerId: id,
      slotWaitTimeoutMs: o.slotWaitTimeoutMs,
      checkpointDir: o.checkpointDir,
    });
    const heartbeats = new HeartbeatMonitor({
      targets: () => resourceManager.registered(),
      onTimeout: (id, reason) => {
        try {
          resourceManager.markLost(id, reason);
        } catch (e) {
          logger.error('handling a lost task manager failed', { taskManagerId: id, error: errorStack(e) });
        }
      },
      timeoutMs: o.heartbeatTimeoutMs,
      clock: o.clock,
      timers: nodeTimers,
    });
    const server = createServer();
    const rpc = { token: o.token, logger: logger.child({ component: 'rpc' }) };
    addService(server, DispatcherService, createDispatcherHandlers(dispatcher), rpc);
    addService(
      server,
      JobMasterService,
      createJobMasterHandlers({ dispatcher, resourceManager, jobManagerId: id, heartbeatIntervalMs: o.heartbeatIntervalMs, heartbeatTimeoutMs: o.heartbeatTimeoutMs }),
      rpc,
    );
    let metrics: MetricsServer | undefined;
    let port: number;
    try {
      port = await bindServer(server, o.host, o.port);
      if (o.metricsPort !== undefined) {
        metrics = await startMetricsServer(o.host, o.metricsPort, () => renderMetrics(dispatcher), logger.child({ component: 'metrics' }));
      }
    } catch (e) {
      server.forceShutdown();
      throw e;
    }
    heartbeats.start();
    logger.info('job manager started', { jobManagerId: id, host: o.host, port, metricsPort: metrics?.port, dataDir: o.dataDir, auth: o.token !== undefined });
    return new JobManager(id, port, metrics?.port, server, resourceManager, heartbeats, dispatcher, metrics, logger);
  }

  /** Stops serving and releases every resource; safe to call twice. */
  async close(): Promise<void> {
    if (this.state !== 'RUNNING') return;
    this.state = 'CLOSING';
    this.heartbeats.stop();
    // First: open Connect streams would hold the server's graceful shutdown until its grace ends.
    this.resourceManager.close();
    await shutdownServer(this.server, 1000);
    await this.metrics?.close();
    this.dispatcher.close();
    this.state = 'CLOSED';
    this.logger.info('job manager stopped', { port: this.port });
  }
}

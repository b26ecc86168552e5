/**
 * JobManagerConnection: the TaskManager's side of its registration with the JobManager. It registers
 * (offering every slot, and the tasks that still run in them), keeps the JobMaster.Connect stream
 * open, heartbeats with the running tasks, cancels what the JobManager says it does not run, and
 * registers again when the JobManager no longer knows it. What the calls' outcomes mean (unreachable,
 * lost, replaced) is the JobManagerMonitor's business.
 *
 * One loop does everything in turn (register or heartbeat, then wait one heartbeat interval), so calls
 * never pile up while the JobManager is away; the end of the Connect stream wakes it at once. Every
 * call has a deadline; the stream's deadline bounds its opening.
 *
 * Lifecycle: `start()` registers or throws after the registration timeout; `close()` ends the stream
 * and the loop.
 */
import { errorMessage, isErrorNamed, type ClientStream, type ClosableClient, type eddy, type JobMasterService, type Logger } from '@eddy/common';
import type { JobManagerMonitor } from './job-manager-monitor.js';

export interface JobManagerConnectionDeps {
  readonly client: ClosableClient<typeof JobMasterService.methods>;
  readonly monitor: JobManagerMonitor;
  readonly logger: Logger;
  readonly taskManagerId: string;
  readonly jobManagerAddress: string;
  readonly host: string;
  readonly rpcPort: () => number;
  readonly dataPorts: () => readonly number[];
  /** The tasks running now, with their slots and counters. */
  readonly runningTasks: () => eddy.v1.ITaskMetrics[];
  /** The JobManager does not run these attempts here: cancel them. */
  readonly cancelStrays: (attemptIds: readonly string[]) => void;
}

/** Deadline of a registration call and of the Connect stream's first message. */
const CALL_DEADLINE_MS = 5000;

export class JobManagerConnection {
  private heartbeatIntervalMs = 1000;
  private registered = false;
  private stream: ClientStream<eddy.v1.ConnectEvent> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: JobManagerConnectionDeps) {}

  /** Registers, retrying while the JobManager is unreachable for up to `timeoutMs`; then runs the loop. */
  async start(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.register();
        break;
      } catch (e) {
        if (!isErrorNamed(e, 'UnavailableError') || Date.now() > deadline) {
          throw new Error(`cannot register with the JobManager at ${this.deps.jobManagerAddress}: ${errorMessage(e)}`);
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stream?.cancel();
    this.stream = undefined;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      await this.tick();
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.heartbeatIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One round: register when not registered, else heartbeat; a failure is the monitor's news. */
  private async tick(): Promise<void> {
    try {
      if (!this.registered) {
        await this.register();
        return;
      }
      const res = await this.deps.client.api.Heartbeat(
        { taskManagerId: this.deps.taskManagerId, jobManagerId: this.deps.monitor.jobManagerId ?? '', tasks: this.deps.runningTasks() },
        { deadlineMs: Math.max(1000, this.heartbeatIntervalMs * 3) },
      );
      this.deps.monitor.reachable();
      if (!res.registered) {
        // The JobManager does not know this TaskManager (it restarted, or declared it lost): register now.
        this.registered = false;
        await this.register();
        return;
      }
      if (res.cancelAttempts.length > 0) this.deps.cancelStrays(res.cancelAttempts);
      if (!this.stream) this.openStream();
    } catch (e) {
      if (this.closed) return;
      this.deps.monitor.unreachable(e);
    }
  }

  private async register(): Promise<void> {
    this.stream?.cancel();
    this.stream = undefined;
    const res = await this.deps.client.api.RegisterTaskManager(
      {
        taskManagerId: this.deps.taskManagerId,
        host: this.deps.host,
        rpcPort: this.deps.rpcPort(),
        slots: this.deps.dataPorts().map((dataPort, index) => ({ index, dataPort })),
        tasks: this.deps.runningTasks(),
      },
      { deadlineMs: CALL_DEADLINE_MS },
    );
    this.heartbeatIntervalMs = res.heartbeatIntervalMs || 1000;
    this.registered = true;
    this.deps.logger.info('registered with jobmanager', { jobManager: this.deps.jobManagerAddress, jobManagerId: res.jobManagerId });
    this.deps.monitor.registered(res.jobManagerId);
    this.openStream();
  }

  /** Opens the Connect stream; its end (the JobManager died, or dropped this TaskManager) wakes the loop. */
  private openStream(): void {
    const stream = this.deps.client.api.Connect(
      { taskManagerId: this.deps.taskManagerId, jobManagerId: this.deps.monitor.jobManagerId ?? '' },
      { deadlineMs: CALL_DEADLINE_MS },
    );
    this.stream = stream;
    let accepted = false;
    stream.onMessage(() => {
      accepted = true;
    });
    stream.onEnd((e) => {
      if (this.stream !== stream || this.closed) return;
      this.stream = undefined;
      this.deps.logger.debug('jobmanager stream ended', { accepted, error: e ? errorMessage(e) : undefined });
      // Find out at once what the end of an open stream means: a heartbeat fails (unreachable) or says
      // "register again". A stream refused at its opening waits for the next round, lest it spin.
      if (accepted) this.wake?.();
    });
  }
}

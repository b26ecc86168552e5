/**
 * JobManagerMonitor: what a TaskManager knows about its JobManager, and what follows from it. Every
 * answer from the JobManager counts as reachable, every failed call or dropped stream as unreachable.
 *
 * - The first failure after a good spell is logged once ('jobmanager unreachable'), and so is the
 *   first answer after one ('jobmanager reachable again'); failures in between are silent.
 * - A JobManager unreachable for `timeoutMs` is lost: `onLost` runs once, and the TaskManager cancels
 *   every task it deployed (they would run on for nobody, and hold slots a new JobManager needs).
 * - A registration that answers another JobManager id than before means the old JobManager is gone
 *   (it restarted): `onReplaced` runs at once, whatever the timeout.
 *
 * Lifecycle (an illegal transition throws): REGISTERING -> CONNECTED <-> UNREACHABLE -> LOST ->
 * CONNECTED. Time comes from an injected clock and timers, so tests expire the timeout without
 * sleeping. Single-threaded; nothing here does I/O.
 */
import { checkTransition, errorMessage, type Logger } from '@eddy/common';

export type JobManagerLinkState = 'REGISTERING' | 'CONNECTED' | 'UNREACHABLE' | 'LOST';
export const JOB_MANAGER_LINK_TRANSITIONS: Record<JobManagerLinkState, readonly JobManagerLinkState[]> = {
  REGISTERING: ['CONNECTED'],
  CONNECTED: ['UNREACHABLE'],
  UNREACHABLE: ['CONNECTED', 'LOST'],
  LOST: ['CONNECTED'],
};

export interface MonitorTimers {
  /** Runs `fn` once after `ms`; the timer must not keep the process alive. */
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const nodeMonitorTimers: MonitorTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

export interface JobManagerMonitorDeps {
  /** How long the JobManager may be unreachable before its tasks are canceled. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly timers: MonitorTimers;
  /** The JobManager `jobManagerId` is lost: cancel its tasks. */
  readonly onLost: (jobManagerId: string) => void;
  /** A new JobManager (`current`) replaced `previous`: cancel the tasks of every other one. */
  readonly onReplaced: (previous: string, current: string) => void;
}

export class JobManagerMonitor {
  private linkState: JobManagerLinkState = 'REGISTERING';
  private id: string | undefined;
  private unreachableSince = 0;
  private lostTimer: { cancel(): void } | undefined;

  constructor(private readonly deps: JobManagerMonitorDeps) {}

  get state(): JobManagerLinkState {
    return this.linkState;
  }

  /** The id of the JobManager this TaskManager registered with last; undefined before the first registration. */
  get jobManagerId(): string | undefined {
    return this.id;
  }

  /** A registration succeeded with the JobManager `jobManagerId`. */
  registered(jobManagerId: string): void {
    const previous = this.id;
    this.id = jobManagerId;
    this.reachable();
    if (previous !== undefined && previous !== jobManagerId) {
      this.deps.logger.warn('jobmanager replaced: canceling the tasks of the previous one', { previous, jobManagerId });
      this.deps.onReplaced(previous, jobManagerId);
    }
  }

  /** The JobManager answered a call. */
  reachable(): void {
    if (this.linkState === 'CONNECTED' || (this.linkState === 'REGISTERING' && this.id === undefined)) return;
    if (this.linkState !== 'REGISTERING') {
      this.deps.logger.info('jobmanager reachable again', { jobManagerId: this.id, unreachableMs: this.deps.clock() - this.unreachableSince });
    }
    this.lostTimer?.cancel();
    this.lostTimer = undefined;
    this.transition('CONNECTED');
  }

  /** A call to the JobManager failed, or its stream ended. */
  unreachable(error: unknown): void {
    if (this.linkState !== 'CONNECTED') return;
    this.transition('UNREACHABLE');
    this.unreachableSince = this.deps.clock();
    this.deps.logger.warn('jobmanager unreachable', { jobManagerId: this.id, error: errorMessage(error), cancelTasksAfterMs: this.deps.timeoutMs });
    this.lostTimer = this.deps.timers.setTimeout(() => this.lose(), this.deps.timeoutMs);
  }

  close(): void {
    this.lostTimer?.cancel();
    this.lostTimer = undefined;
  }

  private lose(): void {
    this.lostTimer = undefined;
    if (this.linkState !== 'UNREACHABLE') return;
    this.transition('LOST');
    this.deps.logger.warn('jobmanager lost: canceling its tasks', { jobManagerId: this.id, unreachableMs: this.deps.clock() - this.unreachableSince });
    this.deps.onLost(this.id ?? '');
  }

  private transition(to: JobManagerLinkState): void {
    checkTransition(JOB_MANAGER_LINK_TRANSITIONS, 'jobmanager link', this.linkState, to);
    this.linkState = to;
  }
}

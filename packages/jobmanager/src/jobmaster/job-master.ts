/**
 * JobMaster: runs one job. It owns the job's ExecutionGraph and split enumerators, deploys every
 * subtask once the job has its slots, folds task state reports into the JobState lifecycle, and cancels
 * what is left when the job fails or is canceled. A job is CREATED until its slots are there (the
 * Dispatcher's SlotWaitQueue calls start()), and FAILED from CREATED when they never come.
 *
 * A failing job stays FAILING until every subtask has stopped, so that the failure it reports is the
 * root cause: a subtask that failed only because its network partner went away (a peer failure) is
 * replaced by the partner's own failure when that arrives, or by the loss of the partner's TaskManager.
 * A TaskManager that cannot be reached at all when a subtask is deployed or canceled is reported as
 * lost (reportUnreachable), so that its subtasks fail with that cause instead of counting as canceled.
 *
 * Threading: every method runs synchronously on the event loop; RPCs to TaskManagers are fired and
 * their outcome comes back as a later call. Nothing here throws at a TaskManager's report: unknown
 * attempts and illegal transitions are logged and ignored.
 */
import {
  JOB_TRANSITIONS,
  checkTransition,
  errorMessage,
  errorStack,
  isErrorNamed,
  isTerminalExecutionState,
  isTerminalJobState,
  isUnreachableError,
  type ExecutionState,
  type JobGraph,
  type JobPlan,
  type JobState,
  type Logger,
} from '@eddy/common';
import { SplitEnumeratorError } from '../errors.js';
import { ExecutionGraph, type Execution } from '../executiongraph/execution-graph.js';
import { failureFromReport, type FailureInfo } from '../executiongraph/failure-info.js';
import type { AllocatedSlot } from '../resourcemanager/resource-manager.js';
import { buildDeployments } from '../scheduler/deployment.js';
import { SplitEnumeratorHost, type SplitAnswer } from '../source/split-enumerator-host.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { EnumeratorState } from '../checkpoint/checkpoint-metadata.js';
import type { CheckpointStatsSnapshot } from '../checkpoint/checkpoint-stats.js';
import { JobCheckpointing } from './job-checkpointing.js';
import { JobRestarts } from './job-restarts.js';
import { restoreJsonFor } from './restore-descriptor.js';
import type { CompletedCheckpoint } from '../checkpoint/checkpoint-metadata.js';
import type { RestartRecord } from '../scheduler/restart-history.js';

export interface JobMasterDeps {
  readonly jobId: string;
  readonly graph: JobGraph;
  readonly plan: JobPlan;
  /** Identity of this JobManager, sent with every deployment. */
  readonly jobManagerId: string;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly timers: Timers;
  /** Gives the job's slots back; called once, when the job reaches a terminal state. */
  readonly releaseSlots: () => void;
  /** A TaskManager of `slot` could not be reached at all: it is probably gone. */
  readonly reportUnreachable: (slot: AllocatedSlot, error: unknown) => void;
  /** A canceled job whose tasks do not all confirm within this time is declared CANCELED. @default 10000 */
  readonly cancelTimeoutMs?: number;
  /** The JobManager's checkpoint directory (absolute); a job that enables checkpointing writes below it. */
  readonly checkpointDir?: string;
  /** A restarting job needs its slots again: start() it when they are free (or time it out). */
  readonly requestSlots?: (job: JobMaster) => void;
}

/** Cancel calls that miss their deadline are made again this many times. */
const CANCEL_RETRIES = 3;

/** What a TaskManager may report about a task; DEPLOYING is accepted and changes nothing. */
const REPORTABLE: ReadonlySet<string> = new Set<ExecutionState>(['DEPLOYING', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELED']);

/** What a TaskManager reports about an attempt beside its state: counters and times (epoch ms, 0 = unknown). */
export interface TaskReport {
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly firstRecordTime: number;
  readonly endTime: number;
}

const NO_REPORT: TaskReport = { recordsIn: 0, recordsOut: 0, firstRecordTime: 0, endTime: 0 };

export class JobMaster {
  readonly jobId: string;
  readonly name: string;
  readonly startTime: number;
  private graph: ExecutionGraph;
  private jobState: JobState = 'CREATED';
  private endedAt = 0;
  private jobFailure: FailureInfo | undefined;
  private splits: SplitEnumeratorHost;
  private readonly log: Logger;
  private cancelTimer: TimerHandle | undefined;
  private readonly checkpointing: JobCheckpointing | undefined;
  /** Present when a failure restarts the job from its latest checkpoint. */
  private readonly restarts: JobRestarts | undefined;
  private restartTimer: TimerHandle | undefined;
  /** The checkpoint the current attempt of the job was deployed from. */
  private restoredFrom: CompletedCheckpoint | undefined;

  constructor(private readonly deps: JobMasterDeps) {
    this.jobId = deps.jobId;
    this.name = deps.graph.name;
    this.startTime = deps.clock();
    this.log = deps.logger.child({ jobId: deps.jobId });
    this.graph = new ExecutionGraph(deps.jobId, deps.graph);
    this.splits = new SplitEnumeratorHost(deps.plan, deps.graph);
    const config = deps.plan.config?.checkpointing;
    this.checkpointing =
      config && deps.checkpointDir
        ? new JobCheckpointing({
            jobId: deps.jobId,
            config,
            checkpointDir: deps.checkpointDir,
            executionGraph: () => this.graph,
            snapshotEnumerators: (id) => this.splits.snapshot(id) as EnumeratorState[],
            clock: deps.clock,
            timers: deps.timers,
            logger: deps.logger,
          })
        : undefined;
    const strategy = deps.plan.config?.restartStrategy;
    this.restarts = this.checkpointing && strategy && strategy.kind !== 'none' ? new JobRestarts(strategy, deps.clock) : undefined;
  }

  /** The job's tasks; a restart replaces them with new attempts. */
  get executionGraph(): ExecutionGraph {
    return this.graph;
  }

  /** Restarts so far and the history of failures (when the job restarts). */
  get restartHistory(): { restarts: number; entries: readonly RestartRecord[] } | undefined {
    return this.restarts && { restarts: this.restarts.restarts, entries: this.restarts.history.entries() };
  }

  /** The job's checkpoint statistics; undefined when it does not checkpoint. */
  get checkpointStats(): CheckpointStatsSnapshot | undefined {
    return this.checkpointing?.snapshot();
  }

  /** A task's acknowledgement of a checkpoint (its state handles), from its TaskManager. */
  acknowledgeCheckpoint(attemptId: string, checkpointId: number, acknowledgement: unknown): string {
    return this.checkpointing?.acknowledge(attemptId, checkpointId, acknowledgement) ?? 'not-checkpointing';
  }

  declineCheckpoint(attemptId: string, checkpointId: number, reason: string): string {
    return this.checkpointing?.decline(attemptId, checkpointId, reason) ?? 'not-checkpointing';
  }

  get state(): JobState {
    return this.jobState;
  }
  get endTime(): number {
    return this.endedAt;
  }
  get failure(): FailureInfo | undefined {
    return this.jobFailure;
  }

  /** The number of slots the job needs before it can start. */
  get slotsNeeded(): number {
    return this.executionGraph.slotsNeeded;
  }

  /** The job got its slots: sends every subtask to its slot; the job is RUNNING once the deployments are on their way. */
  start(slots: readonly AllocatedSlot[]): void {
    this.executionGraph.assignSlots(slots);
    const deployments = buildDeployments(this.executionGraph, this.deps.jobManagerId);
    const cp = this.checkpointing;
    const checkpointingJson = cp ? JSON.stringify({ mode: cp.mode, ...cp.location }) : '';
    const restarted = this.jobState === 'RESTARTING';
    this.transitionJob('RUNNING');
    if (restarted) this.restarts?.restarted(this.restoredFrom?.checkpointId);
    for (const { execution, slot, descriptor } of deployments) {
      this.executionGraph.transition(execution, 'DEPLOYING');
      const restoreJson = this.restoredFrom ? restoreJsonFor(this.restoredFrom, execution.vertex, execution.subtaskIndex) : '';
      slot.gateway.submitTask({ ...descriptor, checkpointingJson, restoreJson }).catch((e: unknown) => this.guarded('deployment failure', () => this.deploymentFailed(execution, e)));
    }
    cp?.start().catch((e: unknown) => this.log.error('checkpointing could not start', { error: errorStack(e) }));
  }

  /** A CREATED job waited for its slots in vain: FAILED with `message`. */
  slotWaitTimedOut(message: string): void {
    if (this.jobState !== 'CREATED' && this.jobState !== 'RESTARTING') return;
    this.jobFailure = { message, operatorId: '', operatorName: '', subtask: -1, stack: '', taskManager: '', peerFailure: false };
    for (const e of this.executionGraph.all()) this.executionGraph.transition(e, 'CANCELED');
    this.jobFailed();
  }

  /** True when this job runs `attemptId` on TaskManager `taskManagerId` (deployed there and not stopped). */
  runsAttempt(attemptId: string, taskManagerId: string): boolean {
    const e = this.executionGraph.execution(attemptId);
    return e !== undefined && !isTerminalExecutionState(e.state) && e.slot?.taskManagerId === taskManagerId;
  }

  /** A TaskManager's report about one attempt. */
  updateTaskExecutionState(attemptId: string, state: string, reported: Partial<FailureInfo> | undefined, metrics: TaskReport = NO_REPORT): void {
    const e = this.executionGraph.execution(attemptId);
    if (!e) {
      this.log.warn('state update for unknown attempt ignored', { attemptId, state });
      return;
    }
    this.updateMetrics(attemptId, metrics);
    if (!REPORTABLE.has(state)) {
      this.log.warn('state update with unknown state ignored', { attemptId, state });
      return;
    }
    if (state === e.state || state === 'DEPLOYING') return;
    try {
      this.executionGraph.transition(e, state as ExecutionState);
    } catch (err) {
      this.log.warn('illegal execution transition ignored', { attemptId, taskKey: e.taskKey, error: errorMessage(err) });
      return;
    }
    this.log.debug('execution state changed', { attemptId, taskKey: e.taskKey, state });
    if (state === 'FAILED') e.failure = failureFromReport(e, reported);
    if (state === 'FINISHED' || state === 'FAILED' || state === 'CANCELED') e.endTime = metrics.endTime > 0 ? metrics.endTime : Date.now();
    this.executionChanged(e);
  }

  /** Latest record counts of an attempt (from heartbeats and state reports). */
  updateMetrics(attemptId: string, { recordsIn, recordsOut, firstRecordTime }: TaskReport): void {
    const e = this.executionGraph.execution(attemptId);
    if (!e) return;
    if (e.firstRecordTime === 0 && Number.isFinite(firstRecordTime) && firstRecordTime > 0) e.firstRecordTime = firstRecordTime;
    if (Number.isFinite(recordsIn) && recordsIn >= e.recordsIn) e.recordsIn = recordsIn;
    if (Number.isFinite(recordsOut) && recordsOut >= e.recordsOut) e.recordsOut = recordsOut;
  }

  /** Starts canceling; returns the job state after the request (a terminal job is left as it is). */
  cancel(): JobState {
    if (this.jobState === 'CREATED' || this.jobState === 'RESTARTING') {
      this.restartTimer?.cancel();
      for (const e of this.executionGraph.all()) this.executionGraph.transition(e, 'CANCELED');
      this.transitionJob('CANCELED');
    }
    if (this.jobState !== 'RUNNING') return this.jobState;
    this.transitionJob('CANCELING');
    this.stopExecutions();
    return this.jobState;
  }

  /** The TaskManager holding some of this job's subtasks is gone: they failed, and so does the job. */
  taskManagerGone(taskManagerId: string, message: string): void {
    const lost = this.executionGraph.onTaskManager(taskManagerId).filter((e) => !isTerminalExecutionState(e.state));
    if (lost.length === 0) return;
    const failure: FailureInfo = { message, operatorId: '', operatorName: '', subtask: -1, stack: '', taskManager: taskManagerId, peerFailure: false };
    for (const e of lost) {
      this.executionGraph.transition(e, 'FAILED');
      e.failure = failure;
    }
    if (this.jobState === 'RUNNING') this.failJob(failure);
    else if (this.jobState === 'FAILING') this.noteFailure(failure);
    this.completeStopIfDone();
  }

  /** FLIP-27 split request of reader `subtask` of source `operatorId`. */
  requestSplit(operatorId: string, subtask: number): SplitAnswer {
    if (this.jobState !== 'RUNNING') return { kind: 'no-more' };
    try {
      return this.splits.next(operatorId, subtask);
    } catch (e) {
      if (!isErrorNamed(e, 'SplitEnumeratorError')) throw e;
      const err = e as SplitEnumeratorError;
      this.failJob({ message: err.message, operatorId: err.operatorId, operatorName: err.operatorName, subtask, stack: errorStack(err.cause), taskManager: '' });
      return { kind: 'no-more' };
    }
  }

  /** Stops timers and enumerators without touching tasks (the JobManager is shutting down). */
  close(): void {
    this.cancelTimer?.cancel();
    this.restartTimer?.cancel();
    this.checkpointing?.stop();
    this.closeEnumerators();
  }

  private executionChanged(e: Execution): void {
    if (this.jobState === 'RUNNING') {
      if (e.state === 'FAILED') this.failJob(e.failure ?? failureFromReport(e, undefined));
      else if (e.state === 'CANCELED') this.failJob({ ...failureFromReport(e, undefined), message: `subtask ${e.taskKey} was canceled by its TaskManager` });
      else if (this.executionGraph.allFinished()) this.transitionJob('FINISHED');
    } else if (this.stopping) {
      if (e.state === 'FAILED' && e.failure && this.jobState === 'FAILING') this.noteFailure(e.failure);
      this.completeStopIfDone();
    }
  }

  private deploymentFailed(e: Execution, err: unknown): void {
    const message = `could not deploy ${e.taskKey} to TaskManager ${e.slot?.taskManagerId ?? '-'}: ${errorMessage(err)}`;
    this.log.warn('deployment failed', { attemptId: e.attemptId, taskKey: e.taskKey, error: errorMessage(err) });
    // The TaskManager may be gone: then its loss fails this execution (and the job) with that cause.
    this.reportIfUnreachable(e, err);
    if (this.jobState === 'RUNNING' && e.state === 'DEPLOYING') {
      this.executionGraph.transition(e, 'FAILED');
      e.failure = { ...failureFromReport(e, undefined), message, stack: errorStack(err) };
      this.failJob(e.failure);
    } else if (this.stopping && (e.state === 'DEPLOYING' || e.state === 'CANCELING')) {
      this.executionGraph.transition(e, 'CANCELED');
      this.completeStopIfDone();
    }
  }

  /** Cancels what still runs; the job is FAILED once every subtask has stopped (or the cancel timeout). */
  private failJob(failure: FailureInfo): void {
    this.jobFailure = failure;
    this.log.warn('job failing', { message: failure.message, operatorId: failure.operatorId, subtask: failure.subtask, taskManager: failure.taskManager });
    this.transitionJob('FAILING');
    this.stopExecutions();
  }

  /** CANCELING or FAILING: cancels every running subtask, bounded by the cancel timeout. */
  private stopExecutions(): void {
    this.cancelTimer = this.deps.timers.setTimeout(() => this.guarded('cancel timeout', () => this.cancelTimedOut()), this.deps.cancelTimeoutMs ?? 10_000);
    for (const e of this.executionGraph.nonTerminal()) this.cancelExecution(e);
    this.completeStopIfDone();
  }

  /** Waiting for subtasks to stop (CANCELING or FAILING). */
  private get stopping(): boolean {
    return this.jobState === 'CANCELING' || this.jobState === 'FAILING';
  }

  /** Another failure while FAILING: it becomes the job's failure if the current one is only a consequence. */
  private noteFailure(failure: FailureInfo): void {
    if (this.jobFailure?.peerFailure && !failure.peerFailure) this.jobFailure = failure;
  }

  private cancelExecution(e: Execution, retries = CANCEL_RETRIES): void {
    if (e.state === 'CREATED') {
      this.executionGraph.transition(e, 'CANCELED');
      return;
    }
    if (e.state === 'DEPLOYING' || e.state === 'RUNNING') this.executionGraph.transition(e, 'CANCELING');
    e.slot?.gateway.cancelTask(this.jobId, e.attemptId).catch((err: unknown) =>
      this.guarded('cancel failure', () => {
        this.log.warn('cancel task failed', { attemptId: e.attemptId, taskKey: e.taskKey, error: errorMessage(err) });
        // A deadline says nothing about whether the TaskManager is there (a busy one answers late, a
        // dead one may not refuse in time): ask again, so that a dead one shows up as unreachable.
        if (isErrorNamed(err, 'UnavailableError') && !isUnreachableError(err) && retries > 0 && e.state === 'CANCELING') {
          this.cancelExecution(e, retries - 1);
          return;
        }
        // A TaskManager that cannot be reached is lost: that fails the task, with the loss as cause.
        this.reportIfUnreachable(e, err);
        // Otherwise it runs nothing for us any more: count the task as canceled.
        if (this.stopping && e.state === 'CANCELING') {
          this.executionGraph.transition(e, 'CANCELED');
          this.completeStopIfDone();
        }
      }),
    );
  }

  /** A canceling job is CANCELED, a failing one FAILED, once none of its subtasks runs any more. */
  private completeStopIfDone(): void {
    if (!this.executionGraph.allTerminal()) return;
    if (this.jobState === 'CANCELING') this.transitionJob('CANCELED');
    else if (this.jobState === 'FAILING') this.jobFailed();
  }

  private jobFailed(): void {
    const f = this.jobFailure!;
    if (this.jobState === 'FAILING' && this.restarts) {
      const decision = this.restarts.onFailure(f);
      if (decision.restart) {
        this.beginRestart(decision.delayMs);
        return;
      }
      this.log.warn('job does not restart', { reason: decision.reason, detail: decision.message });
    }
    this.log.warn('job failed', { message: f.message, operatorId: f.operatorId, subtask: f.subtask, taskManager: f.taskManager });
    this.transitionJob('FAILED');
  }

  /** Every task stopped after a failure: the job runs again from its latest checkpoint after `delayMs`. */
  private beginRestart(delayMs: number): void {
    this.log.warn('job restarting', { delayMs, cause: this.jobFailure?.message, restarts: this.restarts?.restarts });
    this.transitionJob('RESTARTING');
    this.cancelTimer?.cancel();
    this.deps.releaseSlots();
    this.restartTimer = this.deps.timers.setTimeout(() => this.guarded('restart', () => void this.restart()), delayMs);
  }

  /** New attempts of every task with the latest checkpoint's state, deployed as soon as slots are free. */
  private async restart(): Promise<void> {
    if (this.jobState !== 'RESTARTING') return;
    let cp: CompletedCheckpoint | undefined;
    try {
      cp = await this.checkpointing!.restorePoint();
    } catch (e) {
      this.log.error('no checkpoint could be read for the restart', { error: errorStack(e) });
      if (this.jobState !== 'RESTARTING') return;
      this.jobFailure = { ...this.jobFailure!, message: `${this.jobFailure!.message}; the restart found no readable checkpoint: ${errorMessage(e)}` };
      for (const e2 of this.graph.nonTerminal()) this.graph.transition(e2, 'CANCELED');
      this.transitionJob('FAILED');
      return;
    }
    if (this.jobState !== 'RESTARTING') return;
    this.restoredFrom = cp;
    this.graph = new ExecutionGraph(this.jobId, this.deps.graph);
    for (const e of this.splits.close()) this.log.warn('split enumerator close failed', { error: errorMessage(e) });
    this.splits = new SplitEnumeratorHost(this.deps.plan, this.deps.graph, new Map((cp?.enumerators ?? []).map((x) => [x.operatorId, x.state])));
    this.log.info('job restarts', { fromCheckpoint: cp?.checkpointId ?? null, slotsNeeded: this.slotsNeeded });
    this.deps.requestSlots?.(this);
  }

  private cancelTimedOut(): void {
    if (!this.stopping) return;
    const pending = this.executionGraph.nonTerminal();
    this.log.warn('cancel timed out', { pending: pending.map((e) => e.taskKey) });
    for (const e of pending) this.executionGraph.transition(e, 'CANCELED');
    if (this.jobState === 'CANCELING') this.transitionJob('CANCELED');
    else this.jobFailed();
  }

  private transitionJob(to: JobState): void {
    const from = this.jobState;
    checkTransition(JOB_TRANSITIONS, `job ${this.jobId}`, from, to);
    this.jobState = to;
    this.log.info('job state changed', { name: this.name, from, to });
    if (from === 'RUNNING') this.checkpointing?.stop();
    if (isTerminalJobState(to)) {
      this.endedAt = this.deps.clock();
      this.cancelTimer?.cancel();
      this.restartTimer?.cancel();
      this.deps.releaseSlots();
      this.closeEnumerators();
    }
  }

  private reportIfUnreachable(e: Execution, err: unknown): void {
    if (e.slot && isUnreachableError(err)) this.deps.reportUnreachable(e.slot, err);
  }

  /** Runs a callback of an RPC outcome or a timer: a bug there is logged, never an unhandled rejection. */
  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error('job master callback failed', { what, error: errorStack(e) });
    }
  }

  private closeEnumerators(): void {
    for (const e of this.splits.close()) this.log.warn('split enumerator close failed', { error: errorMessage(e) });
  }
}

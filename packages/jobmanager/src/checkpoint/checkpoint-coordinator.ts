/**
 * CheckpointCoordinator: one per job, it runs the JobManager's half of asynchronous barrier snapshots
 * (Flink's CheckpointCoordinator). It triggers checkpoint n at every source task, collects every
 * task's acknowledgement, then writes `_metadata`, hands the checkpoint to the CompletedCheckpointStore
 * and notifies the tasks, whose two-phase-commit sinks then commit.
 *
 * Triggering is periodic (every `intervalMs`, at most `maxConcurrent` in progress, at least
 * `minPauseMs` between the end of one and the next trigger) or explicit (`triggerCheckpoint()`).
 * The source enumerators' state is taken synchronously just before the sources are triggered, so no
 * split handed out afterwards is in it.
 *
 * A checkpoint that is declined, times out, names a bad file or cannot be written fails: its tasks
 * are told, its private files and the shared files only it named are deleted, and the next one goes
 * ahead. A completed checkpoint subsumes older pending ones. Messages about a checkpoint that is not
 * pending (unknown, subsumed, failed, completed) or from a task that is not part of it are ignored
 * and say so in their outcome.
 *
 * Threading: every method runs on the event loop and changes state synchronously; storage and RPCs
 * are awaited in the background, and every callback re-checks that the checkpoint is still PENDING.
 * Completions are written one after another, in the order checkpoints became fully acknowledged.
 */
import { checkTransition, errorMessage, isErrorNamed, type Logger } from '@eddy/common';
import { CheckpointFailedError, type CheckpointFailureReason, type InvalidStateHandleError } from '../errors.js';
import type { TimerHandle, Timers } from '../timers.js';
import { encodeMetadata } from './checkpoint-metadata-codec.js';
import type { CompletedCheckpoint, EnumeratorState } from './checkpoint-metadata.js';
import type { CompiledCheckpointOptions } from './checkpoint-options.js';
import { CheckpointStatsTracker } from './checkpoint-stats.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import type { CheckpointTask, CheckpointTaskGateway, CheckpointTaskSet, TaskRef } from './checkpoint-task-gateway.js';
import { findFileProblems } from './checkpoint-verifier.js';
import type { CompletedCheckpointStore } from './completed-checkpoint-store.js';
import { PendingCheckpoint } from './pending-checkpoint.js';
import { checkAcknowledgement, checkArray, checkJson, checkRecord, checkString } from './state-handle-checks.js';

export interface CheckpointCoordinatorDeps {
  readonly jobId: string;
  readonly options: CompiledCheckpointOptions;
  readonly storage: CheckpointStorage;
  /** Loaded (if the job has run before) before the coordinator is created: ids continue after its highest. */
  readonly store: CompletedCheckpointStore;
  readonly gateway: CheckpointTaskGateway;
  /** The job's tasks, read afresh at every trigger. */
  readonly tasks: () => CheckpointTaskSet;
  /** The source enumerators' state for checkpoint n; called synchronously right before the sources are triggered. */
  readonly snapshotEnumerators: (checkpointId: number) => readonly EnumeratorState[];
  readonly clock: () => number;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly stats?: CheckpointStatsTracker;
}

export type CoordinatorState = 'CREATED' | 'RUNNING' | 'STOPPED';
const COORDINATOR_TRANSITIONS: Record<CoordinatorState, readonly CoordinatorState[]> = { CREATED: ['RUNNING', 'STOPPED'], RUNNING: ['STOPPED'], STOPPED: [] };

/**
 * What became of a task's acknowledgement or decline: `accepted`; or ignored because it repeats one
 * (`duplicate`), concerns a checkpoint no longer pending (`late`) or never triggered
 * (`unknown-checkpoint`), comes from a task not part of the checkpoint (`unknown-task`); or
 * `invalid`, which failed the checkpoint.
 */
export type TaskMessageOutcome = 'accepted' | 'duplicate' | 'late' | 'unknown-checkpoint' | 'unknown-task' | 'invalid';

export class CheckpointCoordinator {
  readonly stats: CheckpointStatsTracker;
  private state: CoordinatorState = 'CREATED';
  private readonly pending = new Map<number, PendingCheckpoint>();
  /** Storage work in flight per checkpoint (creating its directory, writing `_metadata`); a discard waits for it. */
  private readonly busy = new Map<number, Promise<void>>();
  private readonly discards = new Set<Promise<void>>();
  private completions: Promise<void> = Promise.resolve();
  private nextId: number;
  private periodic: TimerHandle | undefined;
  private waitingForSlot = false;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private readonly log: Logger;

  constructor(private readonly deps: CheckpointCoordinatorDeps) {
    this.stats = deps.stats ?? new CheckpointStatsTracker();
    this.nextId = deps.store.highestCheckpointId + 1;
    this.log = deps.logger.child({ component: 'checkpoint-coordinator', jobId: deps.jobId });
  }

  get status(): CoordinatorState {
    return this.state;
  }

  /** Ids of the checkpoints in progress, ascending. */
  pendingCheckpointIds(): number[] {
    return [...this.pending.keys()].sort((a, b) => a - b);
  }

  /** Starts accepting triggers, and triggers periodically when `intervalMs` is set. */
  start(): void {
    this.moveTo('RUNNING');
    if (this.deps.options.intervalMs !== undefined) this.schedulePeriodic(this.deps.options.intervalMs);
  }

  /** Aborts every pending checkpoint and waits until their files are discarded. */
  async stop(): Promise<void> {
    if (this.state !== 'STOPPED') {
      this.moveTo('STOPPED');
      this.periodic?.cancel();
      this.periodic = undefined;
      for (const p of [...this.pending.values()]) this.failPending(p, 'ABORTED', 'stopped', 'the checkpoint coordinator stopped');
    }
    while (this.discards.size > 0) await Promise.all([...this.discards]);
    await this.deps.store.flush();
  }

  /**
   * Triggers a checkpoint now (within maxConcurrent, ignoring minPauseMs). Resolves when it completes;
   * rejects with a CheckpointFailedError saying why it did not.
   */
  triggerCheckpoint(): Promise<CompletedCheckpoint> {
    const refuse = (reason: CheckpointFailureReason, detail: string) => Promise.reject(new CheckpointFailedError(0, reason, detail));
    if (this.state !== 'RUNNING') return refuse('stopped', `the checkpoint coordinator is ${this.state}`);
    if (this.pending.size >= this.deps.options.maxConcurrent) return refuse('too-many-concurrent', `${this.pending.size} checkpoints are in progress`);
    const set = this.deps.tasks();
    if (set.kind === 'not-ready') return refuse('not-ready', set.reason);
    if (!set.tasks.some((t) => t.isSource)) return refuse('not-ready', 'the job has no source task');
    const p = new PendingCheckpoint(this.nextId++, this.deps.clock(), set.tasks);
    this.pending.set(p.checkpointId, p);
    this.stats.reportTriggered(p.checkpointId, p.triggerTime, set.tasks.length);
    p.timeout = this.deps.timers.setTimeout(() => this.guarded('timeout', () => this.expire(p)), this.deps.options.timeoutMs);
    this.log.debug('checkpoint triggered', { checkpointId: p.checkpointId, tasks: set.tasks.length });
    this.runBusy(p, () => this.initAndTrigger(p));
    return p.result;
  }

  /** Task `attemptId` finished its part of checkpoint `checkpointId`; `ack` comes from the wire and is checked. */
  acknowledge(attemptId: string, checkpointId: number, ack: unknown): TaskMessageOutcome {
    const found = this.findTask('acknowledgement', attemptId, checkpointId);
    if (typeof found === 'string') return found;
    const { p, task } = found;
    let checked;
    try {
      checked = checkAcknowledgement(ack, checkpointId, task.operatorIds);
    } catch (e) {
      if (!isErrorNamed(e, 'InvalidStateHandleError')) throw e;
      this.failPending(p, 'FAILED', 'invalid-acknowledgement', `${task.taskKey}: ${(e as InvalidStateHandleError).message}`);
      return 'invalid';
    }
    p.acknowledge(attemptId, checked);
    this.deps.store.registerPending(checkpointId, checked.operators.flatMap((o) => o.keyed?.files ?? []));
    this.stats.reportAcknowledged(checkpointId, p.acknowledgedCount, checked.alignmentMs ?? 0);
    if (p.fullyAcknowledged) this.finalize(p);
    return 'accepted';
  }

  /** Task `attemptId` cannot take part in checkpoint `checkpointId`: the checkpoint fails. */
  decline(attemptId: string, checkpointId: number, reason: string): TaskMessageOutcome {
    const found = this.findTask('decline', attemptId, checkpointId);
    if (typeof found === 'string') return found;
    this.failPending(found.p, 'FAILED', 'declined', `${found.task.taskKey} declined: ${String(reason)}`);
    return 'accepted';
  }

  /** The pending checkpoint and the task a message is about, or why the message is ignored. */
  private findTask(what: string, attemptId: string, checkpointId: number): { p: PendingCheckpoint; task: CheckpointTask } | TaskMessageOutcome {
    const p = this.pending.get(checkpointId);
    if (!p) {
      const outcome = Number.isSafeInteger(checkpointId) && checkpointId >= 1 && checkpointId < this.nextId ? 'late' : 'unknown-checkpoint';
      this.log[outcome === 'late' ? 'debug' : 'warn'](`${what} ignored`, { outcome, attemptId, checkpointId });
      return outcome;
    }
    const task = p.task(attemptId);
    const outcome = !task ? 'unknown-task' : p.isAcknowledgedBy(attemptId) ? 'duplicate' : undefined;
    if (!task || outcome) {
      this.log.warn(`${what} ignored`, { outcome, attemptId, checkpointId });
      return outcome!;
    }
    return { p, task };
  }

  private async initAndTrigger(p: PendingCheckpoint): Promise<void> {
    const id = p.checkpointId;
    try {
      await this.deps.storage.initCheckpoint(id);
    } catch (e) {
      this.failPending(p, 'FAILED', 'trigger-failed', errorMessage(e));
      return;
    }
    if (p.status !== 'PENDING') return;
    try {
      p.enumerators = checkEnumeratorStates(this.deps.snapshotEnumerators(id));
    } catch (e) {
      this.failPending(p, 'FAILED', 'enumerator-failed', errorMessage(e));
      return;
    }
    const options = { mode: this.deps.options.mode, location: this.deps.storage.location(id) };
    for (const task of p.tasks.filter((t) => t.isSource)) {
      this.deps.gateway.triggerCheckpoint(ref(task), id, p.triggerTime, options).catch((e: unknown) =>
        this.guarded('trigger failure', () => this.failPending(p, 'FAILED', 'trigger-failed', `could not trigger ${task.taskKey}: ${errorMessage(e)}`)),
      );
    }
  }

  /** Every task acknowledged: queue the checkpoint for writing. */
  private finalize(p: PendingCheckpoint): void {
    p.finalizing = true;
    const run = this.completions.then(() => this.writeCompleted(p));
    this.completions = run.catch(() => {}); // writeCompleted handles its own errors; the queue never stalls
    this.runBusy(p, () => run);
  }

  private async writeCompleted(p: PendingCheckpoint): Promise<void> {
    if (p.status !== 'PENDING') return;
    const { storage, store } = this.deps;
    try {
      await store.flush(); // a deletion scheduled earlier must not remove a file after the check below
      const cp = p.toCompleted({
        jobId: this.deps.jobId,
        mode: this.deps.options.mode,
        completionTime: this.deps.clock(),
        isNewShared: (name) => store.isNewSharedFile(name, p.checkpointId),
      });
      const [problem] = await findFileProblems(storage, cp.files, false);
      if (problem) throw new Error(`${problem.uri}: ${problem.problem}`);
      if (p.status !== 'PENDING') return;
      await storage.publishMetadata(p.checkpointId, encodeMetadata(cp));
      if (p.status === 'PENDING') this.completePending(p, cp);
    } catch (e) {
      this.failPending(p, 'FAILED', 'finalize-failed', errorMessage(e));
    }
  }

  private completePending(p: PendingCheckpoint, cp: CompletedCheckpoint): void {
    this.deps.store.add(cp);
    p.complete(cp);
    this.pending.delete(p.checkpointId);
    this.lastEnd = this.deps.clock();
    this.stats.reportCompleted(cp.checkpointId, this.lastEnd, cp.sizes, cp.alignmentMs);
    this.log.info('checkpoint completed', { checkpointId: cp.checkpointId, durationMs: this.lastEnd - cp.triggerTime, ...cp.sizes, alignmentMs: cp.alignmentMs });
    for (const task of p.tasks) {
      this.deps.gateway.notifyCheckpointComplete(ref(task), cp.checkpointId).catch((e: unknown) =>
        this.log.warn('notify checkpoint complete failed', { checkpointId: cp.checkpointId, taskKey: task.taskKey, error: errorMessage(e) }),
      );
    }
    for (const older of [...this.pending.values()].filter((o) => o.checkpointId < cp.checkpointId)) {
      this.failPending(older, 'ABORTED', 'subsumed', `checkpoint ${cp.checkpointId} completed first`);
    }
    this.slotFreed();
  }

  /** Ends a pending checkpoint that will not complete; its files are discarded once its storage work is done. */
  private failPending(p: PendingCheckpoint, status: 'FAILED' | 'ABORTED', reason: CheckpointFailureReason, detail: string): void {
    if (p.status !== 'PENDING') return;
    const id = p.checkpointId;
    p.fail(status, reason, detail);
    this.pending.delete(id);
    this.lastEnd = this.deps.clock();
    this.stats.reportFailed(id, this.lastEnd, reason, detail);
    this.log[status === 'FAILED' ? 'warn' : 'info']('checkpoint ended without completing', { checkpointId: id, status, reason, detail });
    for (const task of p.tasks) {
      this.deps.gateway.notifyCheckpointAborted(ref(task), id, `${reason}: ${detail}`).catch((e: unknown) =>
        this.log.debug('notify checkpoint aborted failed', { checkpointId: id, taskKey: task.taskKey, error: errorMessage(e) }),
      );
    }
    const discard = (this.busy.get(id) ?? Promise.resolve())
      .then(() => this.deps.store.discardPending(id))
      .catch((e: unknown) => this.log.error('checkpoint discard failed', { checkpointId: id, error: errorMessage(e) }));
    this.discards.add(discard);
    void discard.finally(() => this.discards.delete(discard));
    this.slotFreed();
  }

  private expire(p: PendingCheckpoint): void {
    const detail = `not complete after ${this.deps.options.timeoutMs} ms (${p.acknowledgedCount} of ${p.tasks.length} tasks acknowledged)`;
    this.failPending(p, 'FAILED', 'timeout', detail);
  }

  private periodicTick(): void {
    this.periodic = undefined;
    if (this.state !== 'RUNNING') return;
    const { intervalMs, minPauseMs, maxConcurrent } = this.deps.options;
    if (this.pending.size >= maxConcurrent) {
      this.waitingForSlot = true; // slotFreed() schedules the next tick
      return;
    }
    const pause = this.lastEnd + minPauseMs - this.deps.clock();
    if (pause > 0) {
      this.schedulePeriodic(pause);
      return;
    }
    this.triggerCheckpoint().catch((e: unknown) => this.log.debug('periodic checkpoint did not complete', { error: errorMessage(e) }));
    this.schedulePeriodic(intervalMs!);
  }

  private slotFreed(): void {
    if (!this.waitingForSlot || this.state !== 'RUNNING') return;
    this.waitingForSlot = false;
    this.schedulePeriodic(this.deps.options.minPauseMs);
  }

  private schedulePeriodic(delayMs: number): void {
    this.periodic?.cancel();
    this.periodic = this.deps.timers.setTimeout(() => this.guarded('periodic trigger', () => this.periodicTick()), delayMs);
  }

  /** Runs storage work of checkpoint `p` after its earlier work, and records it so that a discard waits for it. */
  private runBusy(p: PendingCheckpoint, work: () => Promise<void>): void {
    const done = (this.busy.get(p.checkpointId) ?? Promise.resolve()).then(work).catch((e: unknown) => this.log.error('checkpoint storage work failed', { checkpointId: p.checkpointId, error: errorMessage(e) }));
    this.busy.set(p.checkpointId, done);
    void done.finally(() => {
      if (this.busy.get(p.checkpointId) === done) this.busy.delete(p.checkpointId);
    });
  }

  private moveTo(to: CoordinatorState): void {
    checkTransition(COORDINATOR_TRANSITIONS, `checkpoint coordinator of job ${this.deps.jobId}`, this.state, to);
    this.state = to;
  }

  /** Runs a timer or RPC callback: a bug there is logged, never an unhandled rejection. */
  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error('checkpoint coordinator callback failed', { what, error: errorMessage(e) });
    }
  }
}

function ref(task: CheckpointTask): TaskRef {
  return { taskKey: task.taskKey, attemptId: task.attemptId };
}

/** The enumerators' states, checked as JSON and copied so that later changes by user code do not leak in. */
function checkEnumeratorStates(v: readonly EnumeratorState[]): EnumeratorState[] {
  return checkArray(v, 'enumerator states').map((e, i) => {
    const r = checkRecord(e, `enumerator states[${i}]`);
    return { operatorId: checkString(r.operatorId, `enumerator states[${i}].operatorId`), state: checkJson(r.state, `enumerator states[${i}].state`) };
  });
}

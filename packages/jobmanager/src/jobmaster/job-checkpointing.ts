/**
 * JobCheckpointing: the checkpoints of one job, as its JobMaster sees them. It binds the job's
 * CheckpointCoordinator to the job's checkpoint directory (`<checkpoint-dir>/<job-id>/`), to the
 * running executions (triggers and notifications go to the TaskManager of each attempt) and to the
 * source enumerators (their state is taken at every trigger).
 *
 * Lifecycle: created with the JobMaster; start() once the job is deployed (the coordinator triggers
 * only while every task runs); stop() when the job leaves RUNNING. Single-threaded (event loop).
 */
import { errorMessage, type CheckpointConfig, type Logger } from '@eddy/common';
import { CheckpointCoordinator, type TaskMessageOutcome } from '../checkpoint/checkpoint-coordinator.js';
import type { CompletedCheckpoint, EnumeratorState } from '../checkpoint/checkpoint-metadata.js';
import { compileCheckpointOptions } from '../checkpoint/checkpoint-options.js';
import { CheckpointStatsTracker, type CheckpointStatsSnapshot } from '../checkpoint/checkpoint-stats.js';
import { checkpointTasksOf, type CheckpointTaskGateway } from '../checkpoint/checkpoint-task-gateway.js';
import { CompletedCheckpointStore } from '../checkpoint/completed-checkpoint-store.js';
import { DirectoryCheckpointStorage } from '../checkpoint/directory-checkpoint-storage.js';
import type { ExecutionGraph } from '../executiongraph/execution-graph.js';
import type { Timers } from '../timers.js';

export interface JobCheckpointingDeps {
  readonly jobId: string;
  readonly config: CheckpointConfig;
  /** The JobManager's checkpoint directory; the job's checkpoints go to `<dir>/<job-id>/`. */
  readonly checkpointDir: string;
  /** The job's current execution graph (a restart replaces it). */
  readonly executionGraph: () => ExecutionGraph;
  readonly snapshotEnumerators: (checkpointId: number) => readonly EnumeratorState[];
  readonly clock: () => number;
  readonly timers: Timers;
  readonly logger: Logger;
}

export class JobCheckpointing {
  readonly stats = new CheckpointStatsTracker();
  private coordinator: CheckpointCoordinator | undefined;
  private store: CompletedCheckpointStore | undefined;
  /** Bumped by stop(): a start() still loading when the job stopped does not start its coordinator. */
  private generation = 0;
  private readonly log: Logger;

  constructor(private readonly deps: JobCheckpointingDeps) {
    this.log = deps.logger.child({ component: 'job-checkpointing', jobId: deps.jobId });
  }

  /** Absolute directories of the job's checkpoint storage, as tasks are told in their deployment. */
  get location(): { checkpointDir: string; sharedDir: string } {
    const storage = DirectoryCheckpointStorage.forJob(this.deps.checkpointDir, this.deps.jobId);
    const { root, sharedPrefix } = storage.location(1);
    return { checkpointDir: root, sharedDir: storage.uriOf(sharedPrefix) };
  }

  get mode(): CheckpointConfig['mode'] {
    return this.deps.config.mode;
  }

  /**
   * Starts periodic checkpoints for the job's current attempt; the first start loads what the job's
   * directory holds (ids continue after it). Called again after every restart.
   */
  async start(): Promise<void> {
    const { jobId, checkpointDir, clock, timers, logger } = this.deps;
    const generation = this.generation;
    const options = this.options();
    const storage = DirectoryCheckpointStorage.forJob(checkpointDir, jobId);
    const store = await this.loadedStore();
    if (generation !== this.generation) return;
    this.coordinator = new CheckpointCoordinator({
      jobId,
      options,
      storage,
      store,
      gateway: this.gateway(),
      tasks: () => checkpointTasksOf(this.deps.executionGraph()),
      snapshotEnumerators: this.deps.snapshotEnumerators,
      clock,
      timers,
      logger,
      stats: this.stats,
    });
    this.coordinator.start();
    this.log.info('checkpointing started', { intervalMs: options.intervalMs, mode: options.mode, dir: storage.location(1).root });
  }

  /**
   * The checkpoint a restart restores: the newest completed one whose files are all there (a bad one
   * is skipped, naming its bad file in the log), held as the restore point; undefined when none.
   */
  async restorePoint(): Promise<CompletedCheckpoint | undefined> {
    const store = await this.loadedStore();
    const cp = await store.latestRestorable();
    if (cp) {
      store.markRestored(cp.checkpointId);
      this.stats.reportRestored(cp.checkpointId, this.deps.clock());
    }
    return cp;
  }

  private options() {
    const { config } = this.deps;
    return compileCheckpointOptions({
      intervalMs: config.intervalMs,
      mode: config.mode,
      timeoutMs: config.timeoutMs,
      minPauseMs: config.minPauseMs,
      maxConcurrent: config.maxConcurrent,
      retained: config.retained,
    });
  }

  private async loadedStore(): Promise<CompletedCheckpointStore> {
    if (!this.store) {
      const storage = DirectoryCheckpointStorage.forJob(this.deps.checkpointDir, this.deps.jobId);
      const store = new CompletedCheckpointStore({ storage, retained: this.options().retained, logger: this.deps.logger });
      this.store = store;
      await store.load();
    }
    return this.store;
  }

  acknowledge(attemptId: string, checkpointId: number, acknowledgement: unknown): TaskMessageOutcome | 'not-started' {
    return this.coordinator ? this.coordinator.acknowledge(attemptId, checkpointId, acknowledgement) : 'not-started';
  }

  decline(attemptId: string, checkpointId: number, reason: string): TaskMessageOutcome | 'not-started' {
    return this.coordinator ? this.coordinator.decline(attemptId, checkpointId, reason) : 'not-started';
  }

  snapshot(): CheckpointStatsSnapshot {
    return this.stats.snapshot(this.deps.clock());
  }

  /** Aborts what is in progress and triggers no more (until the next start()). */
  stop(): void {
    this.generation++;
    const c = this.coordinator;
    this.coordinator = undefined;
    c?.stop().catch((e: unknown) => this.log.warn('checkpoint coordinator stop failed', { error: errorMessage(e) }));
  }

  /** Calls to the TaskManager that runs each attempt; an attempt no longer known is skipped. */
  private gateway(): CheckpointTaskGateway {
    const { jobId } = this.deps;
    const slotOf = (attemptId: string) => {
      const slot = this.deps.executionGraph().execution(attemptId)?.slot;
      if (!slot) throw new Error(`attempt ${attemptId} runs on no TaskManager`);
      return slot;
    };
    return {
      triggerCheckpoint: (task, id, timestamp) => slotOf(task.attemptId).gateway.triggerCheckpoint(jobId, task.attemptId, id, timestamp),
      notifyCheckpointComplete: (task, id) => slotOf(task.attemptId).gateway.notifyCheckpointComplete(jobId, task.attemptId, id),
      notifyCheckpointAborted: (task, id, reason) => slotOf(task.attemptId).gateway.notifyCheckpointAborted(jobId, task.attemptId, id, reason),
    };
  }
}

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
import type { EnumeratorState } from '../checkpoint/checkpoint-metadata.js';
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
  readonly executionGraph: ExecutionGraph;
  readonly snapshotEnumerators: (checkpointId: number) => readonly EnumeratorState[];
  readonly clock: () => number;
  readonly timers: Timers;
  readonly logger: Logger;
}

export class JobCheckpointing {
  readonly stats = new CheckpointStatsTracker();
  private coordinator: CheckpointCoordinator | undefined;
  private stopped = false;
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

  /** Loads what the job's directory holds (ids continue after it) and starts periodic checkpoints. */
  async start(): Promise<void> {
    const { jobId, config, checkpointDir, executionGraph, clock, timers, logger } = this.deps;
    const options = compileCheckpointOptions({
      intervalMs: config.intervalMs,
      mode: config.mode,
      timeoutMs: config.timeoutMs,
      minPauseMs: config.minPauseMs,
      maxConcurrent: config.maxConcurrent,
      retained: config.retained,
    });
    const storage = DirectoryCheckpointStorage.forJob(checkpointDir, jobId);
    const store = new CompletedCheckpointStore({ storage, retained: options.retained, logger });
    await store.load();
    if (this.stopped) return;
    this.coordinator = new CheckpointCoordinator({
      jobId,
      options,
      storage,
      store,
      gateway: this.gateway(),
      tasks: () => checkpointTasksOf(executionGraph),
      snapshotEnumerators: this.deps.snapshotEnumerators,
      clock,
      timers,
      logger,
      stats: this.stats,
    });
    this.coordinator.start();
    this.log.info('checkpointing started', { intervalMs: config.intervalMs, mode: config.mode, dir: storage.location(1).root });
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

  /** Aborts what is in progress and triggers no more. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.coordinator?.stop().catch((e: unknown) => this.log.warn('checkpoint coordinator stop failed', { error: errorMessage(e) }));
  }

  /** Calls to the TaskManager that runs each attempt; an attempt no longer known is skipped. */
  private gateway(): CheckpointTaskGateway {
    const { jobId, executionGraph } = this.deps;
    const slotOf = (attemptId: string) => {
      const slot = executionGraph.execution(attemptId)?.slot;
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

/**
 * Dispatcher: accepts jobs and keeps one JobMaster per job (jobId -> JobMaster).
 *
 * Submission order: validate the graph, store the artifact, load it and build its plan, then hand the
 * job to the SlotWaitQueue, which deploys it at once when its slots are free and otherwise when they
 * become free (TaskManagers join, other jobs end), or fails it after the slot wait timeout. Only a job
 * that could never run (an invalid graph or artifact) is rejected; one rejected after its files were
 * written leaves nothing behind. Jobs are kept in memory for status queries; the stored files stay in
 * the data directory.
 */
import {
  NotFoundError,
  errorMessage,
  isTerminalJobState,
  newJobId,
  validateJobGraph,
  type JobGraph,
  type JobState,
  type Logger,
} from '@eddy/common';
import { JobMaster } from '../jobmaster/job-master.js';
import type { AllocatedSlot, RegisteredTaskManager, ReportedTask, ResourceManager } from '../resourcemanager/resource-manager.js';
import { SlotWaitQueue, type SlotWait } from '../scheduler/slot-wait-queue.js';
import type { Timers } from '../timers.js';
import type { ArtifactStore, StoredArtifact } from './artifact-store.js';
import { loadJobPlan } from './job-module-loader.js';

export interface DispatcherDeps {
  readonly resourceManager: ResourceManager;
  readonly store: ArtifactStore;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly timers: Timers;
  /** Identity of this JobManager, sent with every deployment. */
  readonly jobManagerId: string;
  /** How long a job may wait for slots unless it asks otherwise. */
  readonly slotWaitTimeoutMs: number;
  readonly cancelTimeoutMs?: number;
  /** Absolute; where checkpointing jobs write their checkpoints. */
  readonly checkpointDir?: string;
}

export interface SubmitOptions {
  /** Overrides the JobManager's slot wait timeout for this job. */
  readonly slotWaitTimeoutMs?: number;
}

export interface ClusterCounts {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsFree: number;
  readonly jobsRunning: number;
}

export class Dispatcher {
  private readonly jobs = new Map<string, JobMaster>();
  private readonly waiting: SlotWaitQueue;
  private readonly log: Logger;

  constructor(private readonly deps: DispatcherDeps) {
    this.log = deps.logger.child({ component: 'dispatcher' });
    const rm = deps.resourceManager;
    this.waiting = new SlotWaitQueue({
      allocate: (jobId, count) => rm.allocate(jobId, count),
      freeSlots: () => rm.freeSlots(),
      clock: deps.clock,
      timers: deps.timers,
      logger: this.log,
    });
    rm.onTaskManagerGone((tm, message) => this.taskManagerGone(tm, message));
    rm.onSlotsFreed(() => this.waiting.offerSoon());
  }

  /**
   * Accepts a job, which runs as soon as its slots are free; throws ValidationError saying exactly what
   * is wrong with the graph or the artifact.
   */
  async submit(artifact: Uint8Array, graph: JobGraph, args: readonly string[], options: SubmitOptions = {}): Promise<string> {
    const rm = this.deps.resourceManager;
    validateJobGraph(graph);
    const jobId = newJobId();
    const submitTime = this.deps.clock();
    try {
      await this.deps.store.save(jobId, artifact, graph, args, submitTime);
      const plan = await loadJobPlan(this.deps.store.artifactPath(jobId), graph, args);
      const slotWaitTimeoutMs = options.slotWaitTimeoutMs ?? this.deps.slotWaitTimeoutMs;
      const job = new JobMaster({
        jobId,
        graph,
        plan,
        jobManagerId: this.deps.jobManagerId,
        logger: this.deps.logger,
        clock: this.deps.clock,
        timers: this.deps.timers,
        releaseSlots: () => rm.release(jobId),
        reportUnreachable: (slot, e) => this.taskManagerUnreachable(slot, e),
        cancelTimeoutMs: this.deps.cancelTimeoutMs,
        ...(this.deps.checkpointDir !== undefined ? { checkpointDir: this.deps.checkpointDir } : {}),
        requestSlots: (job) => this.waiting.add(job, job.slotsNeeded, slotWaitTimeoutMs),
      });
      this.jobs.set(jobId, job);
      this.log.info('job submitted', { jobId, name: graph.name, slotsNeeded: job.slotsNeeded, args: args.length });
      this.waiting.add(job, job.slotsNeeded, slotWaitTimeoutMs);
      return jobId;
    } catch (e) {
      this.waiting.remove(jobId);
      rm.release(jobId);
      this.jobs.delete(jobId);
      await this.deps.store.remove(jobId).catch(() => undefined);
      this.log.warn('job rejected', { jobId, name: graph.name, error: errorMessage(e) });
      throw e;
    }
  }

  /** The job's master; NotFoundError naming the id when there is none. */
  job(jobId: string): JobMaster {
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`job '${jobId}' not found`);
    return job;
  }

  find(jobId: string): JobMaster | undefined {
    return this.jobs.get(jobId);
  }

  /** Jobs, newest first. */
  list(): JobMaster[] {
    return [...this.jobs.values()].reverse();
  }

  cancel(jobId: string): JobState {
    const job = this.job(jobId);
    const state = job.cancel();
    if (isTerminalJobState(state)) this.waiting.remove(jobId);
    this.log.info('job cancel requested', { jobId, state });
    return state;
  }

  async artifact(jobId: string): Promise<StoredArtifact> {
    this.job(jobId);
    return this.deps.store.readArtifact(jobId);
  }

  overview(): ClusterCounts {
    const rm = this.deps.resourceManager;
    return {
      taskManagers: rm.registered().length,
      slotsTotal: rm.totalSlots(),
      slotsFree: rm.freeSlots(),
      jobsRunning: [...this.jobs.values()].filter((j) => !isTerminalJobState(j.state)).length,
    };
  }

  /** What a CREATED job waits for, with the slots free now; undefined when it does not wait. */
  slotWait(jobId: string): (SlotWait & { readonly slotsFree: number }) | undefined {
    const w = this.waiting.waitOf(jobId);
    return w && { ...w, slotsFree: this.deps.resourceManager.freeSlots() };
  }

  /** True when a job of this JobManager runs `task` on TaskManager `taskManagerId`. */
  runsTask(task: ReportedTask, taskManagerId: string): boolean {
    return this.jobs.get(task.jobId)?.runsAttempt(task.attemptId, taskManagerId) ?? false;
  }

  close(): void {
    this.waiting.close();
    for (const job of this.jobs.values()) job.close();
  }

  private taskManagerGone(tm: RegisteredTaskManager, message: string): void {
    for (const job of this.jobs.values()) job.taskManagerGone(tm.id, message);
  }

  /** A job could not reach a TaskManager at all (connection refused or dropped): it is lost. */
  private taskManagerUnreachable(slot: AllocatedSlot, e: unknown): void {
    this.deps.resourceManager.markLost(slot.taskManagerId, errorMessage(e), slot.registration);
  }
}

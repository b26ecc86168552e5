/**
 * Dispatcher: accepts jobs and keeps one JobMaster per job (jobId -> JobMaster).
 *
 * Submission order: validate the graph against the free slots, store the artifact, load it and build
 * its plan, allocate slots, deploy. A submission rejected after its files were written leaves nothing
 * behind. Jobs are kept in memory for status queries; the stored files stay in the data directory.
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
import type { RegisteredTaskManager, ResourceManager } from '../resourcemanager/resource-manager.js';
import { requiredSlots } from '../scheduler/slot-allocation.js';
import type { Timers } from '../timers.js';
import type { ArtifactStore, StoredArtifact } from './artifact-store.js';
import { loadJobPlan } from './job-module-loader.js';

export interface DispatcherDeps {
  readonly resourceManager: ResourceManager;
  readonly store: ArtifactStore;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly timers: Timers;
  readonly cancelTimeoutMs?: number;
}

export interface ClusterCounts {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsFree: number;
  readonly jobsRunning: number;
}

export class Dispatcher {
  private readonly jobs = new Map<string, JobMaster>();
  private readonly log: Logger;

  constructor(private readonly deps: DispatcherDeps) {
    this.log = deps.logger.child({ component: 'dispatcher' });
    deps.resourceManager.onTaskManagerGone((tm, message) => this.taskManagerGone(tm, message));
  }

  /** Accepts a job; throws ValidationError saying exactly what is wrong with the graph or the artifact. */
  async submit(artifact: Uint8Array, graph: JobGraph, args: readonly string[]): Promise<string> {
    const rm = this.deps.resourceManager;
    validateJobGraph(graph, rm.freeSlots());
    const jobId = newJobId();
    const submitTime = this.deps.clock();
    try {
      await this.deps.store.save(jobId, artifact, graph, args, submitTime);
      const plan = await loadJobPlan(this.deps.store.artifactPath(jobId), graph, args);
      const slots = rm.allocate(jobId, requiredSlots(graph.vertices.map((v) => v.parallelism)));
      const job = new JobMaster({
        jobId,
        graph,
        plan,
        slots,
        logger: this.deps.logger,
        clock: this.deps.clock,
        timers: this.deps.timers,
        releaseSlots: () => rm.release(jobId),
        cancelTimeoutMs: this.deps.cancelTimeoutMs,
      });
      this.jobs.set(jobId, job);
      this.log.info('job submitted', { jobId, name: graph.name, slots: slots.length, args: args.length });
      job.deploy();
      return jobId;
    } catch (e) {
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

  close(): void {
    for (const job of this.jobs.values()) job.close();
  }

  private taskManagerGone(tm: RegisteredTaskManager, message: string): void {
    for (const job of this.jobs.values()) job.taskManagerGone(tm.id, message);
  }
}

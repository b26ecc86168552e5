/**
 * SlotWaitQueue: jobs that were accepted but have no slots yet (state CREATED), as Flink's scheduler
 * waits for resources. Whenever slots may have become free, waiting jobs are started in submission order
 * as far as the free slots go; a later, smaller job may start before an earlier one that still does not
 * fit. A job still waiting when its slot wait timeout expires is failed with a message that says how
 * many slots it needs and how many were free.
 *
 * Time comes from injected timers and clock, so tests expire waits without sleeping. Single-threaded;
 * `offerSoon()` coalesces the many "slots freed" events of one tick into one pass, run after the event
 * that freed them is fully handled (a job releasing its slots is still inside its own transition).
 */
import type { Logger } from '@eddy/common';
import type { AllocatedSlot } from '../resourcemanager/resource-manager.js';
import type { TimerHandle, Timers } from '../timers.js';

/** What the queue needs of a job. */
export interface SlotWaiter {
  readonly jobId: string;
  /** Only a CREATED or RESTARTING job is started or timed out; one canceled meanwhile is dropped. */
  readonly state: string;
  /** The job got its slots: deploy. */
  start(slots: readonly AllocatedSlot[]): void;
  /** The slot wait timeout expired: fail with `message`. */
  slotWaitTimedOut(message: string): void;
}

const waits = (job: SlotWaiter): boolean => job.state === 'CREATED' || job.state === 'RESTARTING';

export interface SlotWaitQueueDeps {
  /** Allocates `count` slots to the job, or returns undefined when there are not enough free. */
  readonly allocate: (jobId: string, count: number) => AllocatedSlot[] | undefined;
  readonly freeSlots: () => number;
  readonly clock: () => number;
  readonly timers: Timers;
  readonly logger: Logger;
}

/** A waiting job as status shows it. */
export interface SlotWait {
  readonly slotsNeeded: number;
  /** Epoch ms at which the job fails if it still waits. */
  readonly deadline: number;
}

interface Entry extends SlotWait {
  readonly job: SlotWaiter;
  readonly timeoutMs: number;
  readonly timer: TimerHandle;
}

export class SlotWaitQueue {
  /** In submission order. */
  private readonly waiting = new Map<string, Entry>();
  private pass: TimerHandle | undefined;

  constructor(private readonly deps: SlotWaitQueueDeps) {}

  /** Starts `job` at once when its slots are free, else queues it for at most `timeoutMs`. */
  add(job: SlotWaiter, slotsNeeded: number, timeoutMs: number): void {
    if (this.tryStart(job, slotsNeeded)) return;
    const timer = this.deps.timers.setTimeout(() => this.expire(job.jobId), timeoutMs);
    this.waiting.set(job.jobId, { job, slotsNeeded, timeoutMs, deadline: this.deps.clock() + timeoutMs, timer });
    this.deps.logger.info('job waits for slots', { jobId: job.jobId, slotsNeeded, slotsFree: this.deps.freeSlots(), timeoutMs });
  }

  /** What `jobId` waits for; undefined when it does not wait. */
  waitOf(jobId: string): SlotWait | undefined {
    const e = this.waiting.get(jobId);
    return e && { slotsNeeded: e.slotsNeeded, deadline: e.deadline };
  }

  /** Stops waiting for `jobId` (it was canceled). */
  remove(jobId: string): void {
    this.waiting.get(jobId)?.timer.cancel();
    this.waiting.delete(jobId);
  }

  /** Slots may have become free: runs one `offer()` pass soon (once, however often it is called). */
  offerSoon(): void {
    if (this.pass || this.waiting.size === 0) return;
    this.pass = this.deps.timers.setTimeout(() => {
      this.pass = undefined;
      this.offer();
    }, 0);
  }

  /** Starts every waiting job, in submission order, whose slots are free now. */
  offer(): void {
    for (const e of [...this.waiting.values()]) {
      if (!waits(e.job)) this.remove(e.job.jobId);
      else if (this.tryStart(e.job, e.slotsNeeded)) this.remove(e.job.jobId);
    }
  }

  close(): void {
    this.pass?.cancel();
    for (const e of this.waiting.values()) e.timer.cancel();
    this.waiting.clear();
  }

  private tryStart(job: SlotWaiter, slotsNeeded: number): boolean {
    const slots = this.deps.allocate(job.jobId, slotsNeeded);
    if (!slots) return false;
    job.start(slots);
    return true;
  }

  private expire(jobId: string): void {
    const e = this.waiting.get(jobId);
    if (!e) return;
    this.waiting.delete(jobId);
    if (!waits(e.job)) return;
    const free = this.deps.freeSlots();
    this.deps.logger.warn('slot wait timed out', { jobId, slotsNeeded: e.slotsNeeded, slotsFree: free, timeoutMs: e.timeoutMs });
    e.job.slotWaitTimedOut(
      `the job needs ${e.slotsNeeded} slots (its highest operator parallelism) but the cluster had ${free} free when the slot wait timeout of ${e.timeoutMs} ms expired; lower -p or start more TaskManagers`,
    );
  }
}

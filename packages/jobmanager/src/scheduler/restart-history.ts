/**
 * RestartHistory: a job's failures, each with its time, message and domain, what the restart strategy
 * decided, and the checkpoint the restart restored from. Kept so that a job that finally fails can
 * show every cause, not only the last. Bounded: beyond `capacity` the oldest entries are dropped
 * (and counted).
 */
import type { ErrorDomain } from '@eddy/common';
import { classifyFailure } from './failure-cause.js';
import type { RestartDecision } from './restart-strategy.js';

export interface RestartRecord {
  readonly failureTime: number;
  readonly message: string;
  readonly domain: ErrorDomain;
  readonly decision: 'restart' | 'exhausted' | 'not-retryable';
  /** Set when the decision was to restart. */
  readonly delayMs?: number;
  /** Set once the restart happened: the checkpoint restored from, or undefined for a start from scratch. */
  readonly restored?: { readonly time: number; readonly checkpointId: number | undefined };
}

export class RestartHistory {
  private readonly records: RestartRecord[] = [];
  private dropped = 0;

  constructor(private readonly capacity = 100) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Oldest first. */
  entries(): readonly RestartRecord[] {
    return this.records;
  }

  /** Every failure recorded, including those dropped for capacity. */
  get failures(): number {
    return this.dropped + this.records.length;
  }

  /** A failure at `time` and what the strategy decided about it. */
  recordFailure(time: number, cause: unknown, decision: RestartDecision): RestartRecord {
    const { message, domain } = classifyFailure(cause);
    const record: RestartRecord = decision.restart
      ? { failureTime: time, message, domain, decision: 'restart', delayMs: decision.delayMs }
      : { failureTime: time, message, domain, decision: decision.reason };
    this.records.push(record);
    if (this.records.length > this.capacity) {
      this.records.shift();
      this.dropped++;
    }
    return record;
  }

  /** The job restarted at `time` from `checkpointId` (undefined: from scratch); completes the latest restart record. */
  recordRestore(time: number, checkpointId: number | undefined): void {
    const i = this.records.length - 1;
    const last = this.records[i];
    if (!last || last.decision !== 'restart' || last.restored) return;
    this.records[i] = { ...last, restored: { time, checkpointId } };
  }
}

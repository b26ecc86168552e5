/**
 * Event-time and processing-time timers of one keyed operator, kept in two heap queues. Event timers
 * fire in timestamp order when advanceWatermark() passes them; processing timers when
 * advanceProcessingTime() does (the task calls it from a wall-clock wakeup between batches). Before a
 * timer's target runs, the timer's key becomes the backend's current key, so the target may use state.
 */
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { InternalTimerService, TimerTarget } from './internal-timer-service.js';
import { TimerQueue, type Timer } from './timer-queue.js';

/** A timer read from a snapshot (timer-snapshot.ts). */
export interface RestoredTimer {
  readonly domain: 'event' | 'processing';
  readonly key: unknown;
  readonly keyGroup: number;
  readonly namespace: string;
  readonly timestamp: number;
}

/** The timers of one service at a snapshot. Timer objects never change, so the arrays are a consistent view. */
export interface TimerServiceSnapshot {
  readonly event: readonly Timer[];
  readonly processing: readonly Timer[];
}

/**
 * The de-duplication id of a key: the number itself for number keys (a Set of numbers needs no string
 * per key; -0 is told apart from 0 by a string id, as keyed state tells them apart), else a string.
 */
export function keyIdOf(key: unknown): string | number {
  if (typeof key === 'number') return key === 0 && 1 / key < 0 ? 'n-0' : key;
  return typeof key === 'string' ? 's' + key : 'j' + JSON.stringify(key);
}

export class HeapTimerService implements InternalTimerService {
  private readonly eventTimers = new TimerQueue();
  private readonly processingTimers = new TimerQueue();
  private watermark = -Infinity;
  private lastKey: unknown = undefined;
  private lastKeyId: string | number = '';
  /** Called with the earliest processing-time timer whenever it changes, so the task can wake up. */
  onProcessingTimerChange: ((timestamp: number) => void) | undefined;

  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly target: TimerTarget,
    private readonly now: () => number,
  ) {}

  currentWatermark(): number {
    return this.watermark;
  }

  currentProcessingTime(): number {
    return this.now();
  }

  registerEventTimeTimer(namespace: string, timestamp: number): void {
    const key = this.backend.getCurrentKey();
    this.eventTimers.add(key, this.keyIdOfCurrent(key), this.backend.getCurrentKeyGroup(), namespace, timestamp);
  }

  deleteEventTimeTimer(namespace: string, timestamp: number): void {
    this.eventTimers.delete(this.keyIdOfCurrent(this.backend.getCurrentKey()), namespace, timestamp);
  }

  registerProcessingTimeTimer(namespace: string, timestamp: number): void {
    const before = this.processingTimers.peek()?.timestamp;
    const key = this.backend.getCurrentKey();
    this.processingTimers.add(key, this.keyIdOfCurrent(key), this.backend.getCurrentKeyGroup(), namespace, timestamp);
    if (before === undefined || timestamp < before) this.onProcessingTimerChange?.(timestamp);
  }

  deleteProcessingTimeTimer(namespace: string, timestamp: number): void {
    this.processingTimers.delete(this.keyIdOfCurrent(this.backend.getCurrentKey()), namespace, timestamp);
  }

  /** Fires every event-time timer at or before `watermark`, in order. */
  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    const queue = this.eventTimers;
    for (let t = queue.pollDue(watermark); t !== undefined; t = queue.pollDue(watermark)) {
      this.backend.setCurrentKey(t.key);
      this.target.onEventTime(t.key, t.namespace, t.timestamp);
    }
  }

  advanceProcessingTime(now: number): void {
    for (let t = this.processingTimers.peek(); t !== undefined && t.timestamp <= now; t = this.processingTimers.peek()) {
      this.processingTimers.poll();
      this.backend.setCurrentKey(t.key);
      this.target.onProcessingTime(t.key, t.namespace, t.timestamp);
    }
  }

  nextProcessingTime(): number | undefined {
    return this.processingTimers.peek()?.timestamp;
  }

  /** Every queued timer (the synchronous part of a snapshot: timers live on the heap). */
  snapshotTimers(): TimerServiceSnapshot {
    return { event: this.eventTimers.all(), processing: this.processingTimers.all() };
  }

  /** Queues restored timers (before the task processes anything); a restored timer fires like any other. */
  restoreTimers(timers: Iterable<RestoredTimer>): void {
    const before = this.processingTimers.peek()?.timestamp;
    for (const t of timers) {
      const queue = t.domain === 'event' ? this.eventTimers : this.processingTimers;
      queue.add(t.key, keyIdOf(t.key), t.keyGroup, t.namespace, t.timestamp);
    }
    const after = this.processingTimers.peek()?.timestamp;
    if (after !== undefined && after !== before) this.onProcessingTimerChange?.(after);
  }

  get pendingEventTimers(): number {
    return this.eventTimers.size;
  }

  /** Records of one key often come in runs: reuse the id of the last primitive key. */
  private keyIdOfCurrent(key: unknown): string | number {
    if (key !== this.lastKey || typeof key === 'object') {
      this.lastKey = key;
      this.lastKeyId = keyIdOf(key);
    }
    return this.lastKeyId;
  }
}

/**
 * ManualTime: a clock and Timers that move only when a test calls advance(), so timeouts, intervals and
 * pauses are tested without sleeping. Timers due at the same time run in the order they were set.
 */
import type { TimerHandle, Timers } from '../../timers.js';

interface Scheduled {
  readonly seq: number;
  due: number;
  readonly everyMs: number | undefined;
  readonly fn: () => void;
  canceled: boolean;
}

export class ManualTime {
  private current: number;
  private seq = 0;
  private readonly scheduled: Scheduled[] = [];
  readonly clock = (): number => this.current;
  readonly timers: Timers = {
    setTimeout: (fn, ms) => this.add(fn, ms, undefined),
    setInterval: (fn, ms) => this.add(fn, ms, ms),
  };

  constructor(start = 0) {
    this.current = start;
  }

  get now(): number {
    return this.current;
  }

  /** Delays of the timers not yet run, from now. */
  pendingDelays(): number[] {
    return this.live().map((s) => s.due - this.current);
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way at its due time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.live().filter((s) => s.due <= end)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.due);
      if (next.everyMs === undefined) next.canceled = true;
      else next.due += Math.max(1, next.everyMs);
      next.fn();
    }
    this.current = end;
  }

  private add(fn: () => void, ms: number, everyMs: number | undefined): TimerHandle {
    const s: Scheduled = { seq: this.seq++, due: this.current + Math.max(0, ms), everyMs, fn, canceled: false };
    this.scheduled.push(s);
    return { cancel: () => void (s.canceled = true) };
  }

  private live(): Scheduled[] {
    return this.scheduled.filter((s) => !s.canceled).sort((a, b) => a.due - b.due || a.seq - b.seq);
  }
}

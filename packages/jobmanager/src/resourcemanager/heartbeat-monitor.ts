/**
 * HeartbeatMonitor: declares a TaskManager lost when it has not heartbeated for `timeoutMs`.
 * Time comes from an injected clock and checks from injected timers, so tests call `check()` with a
 * manual clock instead of sleeping.
 */
import type { TimerHandle, Timers } from '../timers.js';

export interface HeartbeatTarget {
  readonly id: string;
  readonly lastHeartbeat: number;
}

export interface HeartbeatMonitorDeps {
  /** The TaskManagers to watch, read afresh at every check. */
  readonly targets: () => Iterable<HeartbeatTarget>;
  readonly onTimeout: (id: string, reason: string) => void;
  readonly timeoutMs: number;
  readonly clock: () => number;
  readonly timers: Timers;
}

export class HeartbeatMonitor {
  private timer: TimerHandle | undefined;

  constructor(private readonly deps: HeartbeatMonitorDeps) {}

  /** Checks every `intervalMs` until stopped; a check never takes longer than the timeout to notice. */
  start(intervalMs: number = Math.max(10, Math.floor(this.deps.timeoutMs / 4))): void {
    this.stop();
    this.timer = this.deps.timers.setInterval(() => this.check(), intervalMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Declares lost every target silent for at least `timeoutMs`; returns their ids. */
  check(): string[] {
    const now = this.deps.clock();
    const lost: string[] = [];
    for (const t of [...this.deps.targets()]) {
      if (now - t.lastHeartbeat >= this.deps.timeoutMs) lost.push(t.id);
    }
    for (const id of lost) this.deps.onTimeout(id, `no heartbeat for ${this.deps.timeoutMs} ms`);
    return lost;
  }
}

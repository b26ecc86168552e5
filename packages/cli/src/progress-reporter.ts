/**
 * Decides which job statuses become progress lines on stderr: at most one per interval while the job
 * runs, and the final status exactly once. The status that ends the job also arrives through the poll,
 * so the poll must not print it: `finish` does, together with the summary.
 */
import { isTerminalJobState } from '@eddy/common';
import type { JobStatusView } from '@eddy/sdk/client';
import { progressLine } from './progress.js';

export interface ProgressReporterOptions {
  write: (line: string) => void;
  /** @default Date.now */
  now?: () => number;
  /** @default 1000 */
  intervalMs?: number;
}

export class ProgressReporter {
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly startedAt: number;
  private lastPrinted = -Infinity;
  private finished = false;

  constructor(options: ProgressReporterOptions) {
    this.write = options.write;
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 1000;
    this.startedAt = this.now();
  }

  /** Seconds since the reporter was created, for the summary. */
  elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** A polled status: printed when the job still runs and the last line is an interval old. */
  onStatus(s: JobStatusView): void {
    if (this.finished || isTerminalJobState(s.state)) return;
    const now = this.now();
    if (now - this.lastPrinted < this.intervalMs) return;
    this.lastPrinted = now;
    this.write(progressLine(s, this.startedAt, now));
  }

  /** The final status: printed once, and no progress line after it. */
  finish(s: JobStatusView): void {
    if (this.finished) return;
    this.finished = true;
    this.write(progressLine(s, this.startedAt, this.now()));
  }

  /** No more lines, e.g. once the user interrupted. */
  stop(): void {
    this.finished = true;
  }
}

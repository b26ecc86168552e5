/**
 * CheckpointStatsTracker: what a job's status and metrics show about its checkpoints (Flink's
 * CheckpointStatsTracker): counts, the latest completed, failed and restored checkpoint, and a
 * bounded history, newest first. The coordinator reports into it; readers take a snapshot.
 */
import type { CheckpointFailureReason } from '../errors.js';
import type { CheckpointSizes } from './checkpoint-metadata.js';

export type CheckpointStatsStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface CheckpointStatsEntry {
  readonly checkpointId: number;
  readonly status: CheckpointStatsStatus;
  readonly triggerTime: number;
  /** End minus trigger time; for one in progress, the time so far at the snapshot. */
  readonly durationMs: number;
  readonly fullSizeBytes: number;
  readonly incrementalSizeBytes: number;
  readonly alignmentMs: number;
  readonly acknowledgedTasks: number;
  readonly totalTasks: number;
  readonly failureReason?: CheckpointFailureReason;
  readonly failureMessage?: string;
}

export interface CheckpointStatsSnapshot {
  readonly counts: { readonly completed: number; readonly failed: number; readonly inProgress: number; readonly restored: number };
  readonly latestCompleted: CheckpointStatsEntry | undefined;
  readonly latestFailed: CheckpointStatsEntry | undefined;
  readonly latestRestored: { readonly checkpointId: number; readonly restoreTime: number } | undefined;
  /** In-progress checkpoints, then ended ones, newest first, at most `historySize`. */
  readonly history: readonly CheckpointStatsEntry[];
}

type MutableEntry = { -readonly [K in keyof CheckpointStatsEntry]: CheckpointStatsEntry[K] };

export class CheckpointStatsTracker {
  private readonly inProgress = new Map<number, MutableEntry>();
  private readonly ended: CheckpointStatsEntry[] = [];
  private completed = 0;
  private failed = 0;
  private restored = 0;
  private latestCompleted: CheckpointStatsEntry | undefined;
  private latestFailed: CheckpointStatsEntry | undefined;
  private latestRestored: CheckpointStatsSnapshot['latestRestored'];

  /** @param historySize checkpoints kept in the history (Flink's default is 10). */
  constructor(private readonly historySize = 10) {
    if (!Number.isInteger(historySize) || historySize < 1) throw new RangeError(`historySize must be a positive integer, got ${historySize}`);
  }

  reportTriggered(checkpointId: number, triggerTime: number, totalTasks: number): void {
    this.inProgress.set(checkpointId, {
      checkpointId,
      status: 'IN_PROGRESS',
      triggerTime,
      durationMs: 0,
      fullSizeBytes: 0,
      incrementalSizeBytes: 0,
      alignmentMs: 0,
      acknowledgedTasks: 0,
      totalTasks,
    });
  }

  reportAcknowledged(checkpointId: number, acknowledgedTasks: number, alignmentMs: number): void {
    const e = this.inProgress.get(checkpointId);
    if (!e) return;
    e.acknowledgedTasks = acknowledgedTasks;
    e.alignmentMs = Math.max(e.alignmentMs, alignmentMs);
  }

  reportCompleted(checkpointId: number, completionTime: number, sizes: CheckpointSizes, alignmentMs: number): void {
    const e = this.end(checkpointId, completionTime, { status: 'COMPLETED', fullSizeBytes: sizes.fullBytes, incrementalSizeBytes: sizes.incrementalBytes, alignmentMs });
    if (!e) return;
    this.completed++;
    this.latestCompleted = e;
  }

  /** A checkpoint failed or was aborted. */
  reportFailed(checkpointId: number, endTime: number, reason: CheckpointFailureReason, message: string): void {
    const e = this.end(checkpointId, endTime, { status: 'FAILED', failureReason: reason, failureMessage: message });
    if (!e) return;
    this.failed++;
    this.latestFailed = e;
  }

  reportRestored(checkpointId: number, restoreTime: number): void {
    this.restored++;
    this.latestRestored = { checkpointId, restoreTime };
  }

  /** `now` gives in-progress checkpoints their duration so far. */
  snapshot(now?: number): CheckpointStatsSnapshot {
    const running = [...this.inProgress.values()]
      .sort((a, b) => b.checkpointId - a.checkpointId)
      .map((e): CheckpointStatsEntry => ({ ...e, durationMs: now === undefined ? 0 : Math.max(0, now - e.triggerTime) }));
    return {
      counts: { completed: this.completed, failed: this.failed, inProgress: this.inProgress.size, restored: this.restored },
      latestCompleted: this.latestCompleted,
      latestFailed: this.latestFailed,
      latestRestored: this.latestRestored,
      history: [...running, ...this.ended].slice(0, this.historySize),
    };
  }

  private end(checkpointId: number, endTime: number, fields: Partial<MutableEntry>): CheckpointStatsEntry | undefined {
    const e = this.inProgress.get(checkpointId);
    if (!e) return undefined;
    this.inProgress.delete(checkpointId);
    const done: CheckpointStatsEntry = { ...e, ...fields, durationMs: Math.max(0, endTime - e.triggerTime) };
    const at = this.ended.findIndex((x) => x.checkpointId < checkpointId);
    this.ended.splice(at < 0 ? this.ended.length : at, 0, done);
    this.ended.length = Math.min(this.ended.length, this.historySize);
    return done;
  }
}

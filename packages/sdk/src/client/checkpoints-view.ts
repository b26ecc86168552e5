/** A job's checkpoints as clients see them (`eddy status --json` field `checkpoints`). */
import type { eddy } from '@eddy/common';

export interface CheckpointView {
  id: number;
  status: string;
  triggerTime: number;
  durationMs: number;
  sizeBytes: { full: number; incremental: number };
  alignmentMs: number;
  acknowledgedTasks: number;
  totalTasks: number;
  /** Why it failed; absent when it did not. */
  failure?: string;
}

export interface CheckpointsView {
  completed: number;
  failed: number;
  inProgress: number;
  restored: number;
  /** The latest completed checkpoint. */
  latest: CheckpointView | undefined;
  /** In progress first, then ended ones, newest first. */
  history: CheckpointView[];
}

function toCheckpointView(e: eddy.v1.ICheckpointEntry): CheckpointView {
  return {
    id: e.id ?? 0,
    status: e.status ?? '',
    triggerTime: e.triggerTime ?? 0,
    durationMs: e.durationMs ?? 0,
    sizeBytes: { full: e.fullSizeBytes ?? 0, incremental: e.incrementalSizeBytes ?? 0 },
    alignmentMs: e.alignmentMs ?? 0,
    acknowledgedTasks: e.acknowledgedTasks ?? 0,
    totalTasks: e.totalTasks ?? 0,
    ...(e.failure ? { failure: e.failure } : {}),
  };
}

export function toCheckpointsView(c: eddy.v1.ICheckpointStatus | null | undefined): CheckpointsView | undefined {
  if (!c) return undefined;
  return {
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
    inProgress: c.inProgress ?? 0,
    restored: c.restored ?? 0,
    latest: c.latest ? toCheckpointView(c.latest) : undefined,
    history: (c.history ?? []).map(toCheckpointView),
  };
}

/**
 * Checkpoint metrics of every job in the Prometheus text format, in the style of prometheus.ts:
 * counters of completed, failed and restored checkpoints, the number in progress, and gauges of the
 * latest completed checkpoint (id, duration, sizes, alignment, completion time). Durations are in
 * seconds and times in seconds since the epoch, as Prometheus conventions ask.
 */
import type { CheckpointStatsSnapshot } from '../checkpoint/checkpoint-stats.js';
import { family, labels, type MetricType } from './prometheus-text.js';

export interface JobCheckpointStats {
  readonly jobId: string;
  readonly stats: CheckpointStatsSnapshot;
}

type Pick = (s: CheckpointStatsSnapshot) => number | undefined;

const FAMILIES: readonly [name: string, type: MetricType, help: string, pick: Pick][] = [
  ['eddy_job_checkpoints_completed_total', 'counter', 'Checkpoints completed.', (s) => s.counts.completed],
  ['eddy_job_checkpoints_failed_total', 'counter', 'Checkpoints that failed or were aborted.', (s) => s.counts.failed],
  ['eddy_job_checkpoints_in_progress', 'gauge', 'Checkpoints triggered and not yet ended.', (s) => s.counts.inProgress],
  ['eddy_job_checkpoints_restored_total', 'counter', 'Restores of the job from a checkpoint.', (s) => s.counts.restored],
  ['eddy_job_last_checkpoint_id', 'gauge', 'Id of the latest completed checkpoint.', (s) => s.latestCompleted?.checkpointId],
  ['eddy_job_last_checkpoint_duration_seconds', 'gauge', 'Trigger to completion of the latest completed checkpoint.', (s) => seconds(s.latestCompleted?.durationMs)],
  ['eddy_job_last_checkpoint_full_size_bytes', 'gauge', 'Everything the latest completed checkpoint refers to.', (s) => s.latestCompleted?.fullSizeBytes],
  ['eddy_job_last_checkpoint_incremental_size_bytes', 'gauge', 'What the latest completed checkpoint added.', (s) => s.latestCompleted?.incrementalSizeBytes],
  ['eddy_job_last_checkpoint_alignment_seconds', 'gauge', 'Longest barrier alignment of a task in the latest completed checkpoint.', (s) => seconds(s.latestCompleted?.alignmentMs)],
  [
    'eddy_job_last_checkpoint_completion_timestamp_seconds',
    'gauge',
    'When the latest completed checkpoint completed.',
    (s) => (s.latestCompleted ? seconds(s.latestCompleted.triggerTime + s.latestCompleted.durationMs) : undefined),
  ],
];

/** The checkpoint metric families of `jobs`; a job without a completed checkpoint has no `last_*` samples. */
export function renderCheckpointMetrics(jobs: readonly JobCheckpointStats[]): string {
  const lines = FAMILIES.flatMap(([name, type, help, pick]) =>
    family(
      name,
      type,
      help,
      jobs.flatMap(({ jobId, stats }) => {
        const v = pick(stats);
        return v === undefined ? [] : [`${name}${labels({ job_id: jobId })} ${v}`];
      }),
    ),
  );
  return lines.join('\n') + '\n';
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

import test from 'ava';
import { CheckpointStatsTracker } from '../../checkpoint/checkpoint-stats.js';
import { renderCheckpointMetrics } from '../checkpoint-metrics.js';

test('checkpoint-metrics: renders counts for every job and the latest checkpoint of jobs that have one', (t) => {
  const a = new CheckpointStatsTracker();
  a.reportTriggered(7, 1_700_000_000_000, 2);
  a.reportCompleted(7, 1_700_000_001_500, { fullBytes: 4096, incrementalBytes: 512 }, 25);
  a.reportTriggered(8, 1_700_000_002_000, 2);
  a.reportFailed(8, 1_700_000_003_000, 'timeout', 'late');
  const b = new CheckpointStatsTracker();
  b.reportTriggered(1, 5, 1);
  const text = renderCheckpointMetrics([
    { jobId: 'job-a', stats: a.snapshot() },
    { jobId: 'we"ird\\', stats: b.snapshot() },
  ]);
  const lines = text.split('\n');
  t.true(text.endsWith('\n'));
  t.true(lines.includes('# TYPE eddy_job_checkpoints_completed_total counter'));
  t.true(lines.includes('# HELP eddy_job_checkpoints_in_progress Checkpoints triggered and not yet ended.'));
  for (const sample of [
    'eddy_job_checkpoints_completed_total{job_id="job-a"} 1',
    'eddy_job_checkpoints_failed_total{job_id="job-a"} 1',
    'eddy_job_checkpoints_in_progress{job_id="we\\"ird\\\\"} 1',
    'eddy_job_last_checkpoint_id{job_id="job-a"} 7',
    'eddy_job_last_checkpoint_duration_seconds{job_id="job-a"} 1.5',
    'eddy_job_last_checkpoint_full_size_bytes{job_id="job-a"} 4096',
    'eddy_job_last_checkpoint_incremental_size_bytes{job_id="job-a"} 512',
    'eddy_job_last_checkpoint_alignment_seconds{job_id="job-a"} 0.025',
    'eddy_job_last_checkpoint_completion_timestamp_seconds{job_id="job-a"} 1700000001.5',
  ]) {
    t.true(lines.includes(sample), sample);
  }
  t.false(lines.some((l) => l.startsWith('eddy_job_last_checkpoint_id{job_id="we')), 'no last_* sample without a completed checkpoint');
  t.is(lines.filter((l) => l.startsWith('# TYPE')).length, 10);
});

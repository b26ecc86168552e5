import test from 'ava';
import { CheckpointStatsTracker } from '../checkpoint-stats.js';

test('checkpoint-stats: counts checkpoints by outcome and keeps the latest of each', (t) => {
  const s = new CheckpointStatsTracker();
  s.reportTriggered(1, 1000, 3);
  s.reportAcknowledged(1, 2, 40);
  t.like(s.snapshot(1600).history[0], { checkpointId: 1, status: 'IN_PROGRESS', durationMs: 600, acknowledgedTasks: 2, alignmentMs: 40 });
  s.reportCompleted(1, 2000, { fullBytes: 500, incrementalBytes: 100 }, 45);
  s.reportTriggered(2, 3000, 3);
  s.reportFailed(2, 3500, 'declined', 'job1/src/0 declined: busy');
  s.reportTriggered(3, 4000, 3);
  s.reportRestored(1, 5000);
  s.reportCompleted(42, 1, { fullBytes: 1, incrementalBytes: 1 }, 0); // never triggered: ignored
  const snap = s.snapshot(4100);
  t.deepEqual(snap.counts, { completed: 1, failed: 1, inProgress: 1, restored: 1 });
  t.like(snap.latestCompleted, { checkpointId: 1, durationMs: 1000, fullSizeBytes: 500, incrementalSizeBytes: 100, alignmentMs: 45 });
  t.like(snap.latestFailed, { checkpointId: 2, durationMs: 500, failureReason: 'declined', failureMessage: 'job1/src/0 declined: busy' });
  t.deepEqual(snap.latestRestored, { checkpointId: 1, restoreTime: 5000 });
  t.deepEqual(snap.history.map((e) => [e.checkpointId, e.status]), [[3, 'IN_PROGRESS'], [2, 'FAILED'], [1, 'COMPLETED']]);
});

test('checkpoint-stats: the history is bounded and newest first', (t) => {
  const s = new CheckpointStatsTracker(3);
  for (let id = 1; id <= 6; id++) {
    s.reportTriggered(id, id * 100, 1);
    s.reportCompleted(id, id * 100 + 10, { fullBytes: id, incrementalBytes: id }, 0);
  }
  t.deepEqual(s.snapshot().history.map((e) => e.checkpointId), [6, 5, 4]);
  t.is(s.snapshot().counts.completed, 6);
  t.throws(() => new CheckpointStatsTracker(0), { instanceOf: RangeError });
});

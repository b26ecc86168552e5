import test from 'ava';
import type { FailureView, JobStatusView } from '@eddy/sdk/client';
import { failureText, progressLine, statusJson, statusText } from '../progress.js';

const lost: FailureView = {
  message: 'TaskManager tm-abc (127.0.0.1:4000) lost: its connection to the JobManager closed',
  operatorId: '',
  operatorName: '',
  subtask: -1,
  stack: '',
  taskManager: 'tm-abc',
  peerFailure: false,
};

test('progress: a lost TaskManager is told in its own words, with no dangling location line', (t) => {
  t.is(failureText(lost), lost.message);
});

test('progress: a failed user function names its operator, subtask and TaskManager, then the stack', (t) => {
  const f: FailureView = { message: 'Error: boom', operatorId: 'explode', operatorName: 'Explode', subtask: 1, stack: 'Error: boom\n    at job.ts:3', taskManager: 'tm-abc', peerFailure: false };
  t.is(failureText(f), "Error: boom\n  at operator 'Explode' (explode), subtask 1, on TaskManager tm-abc\n    Error: boom\n        at job.ts:3");
});

test('progress: the JSON status carries whether the failure was only a peer failure', (t) => {
  const s: JobStatusView = { jobId: 'j', name: 'n', state: 'FAILED', startTime: 1, endTime: 2, failure: lost, slotWait: undefined, vertices: [] };
  t.like((statusJson(s) as { failure: object }).failure, { peerFailure: false, taskManager: 'tm-abc', subtask: -1 });
});

test('progress: a job waiting for slots says for how many and how many are free', (t) => {
  const s: JobStatusView = { jobId: 'j1', name: 'wc', state: 'CREATED', startTime: 0, endTime: 0, failure: undefined, slotWait: { slotsNeeded: 5, slotsFree: 1, deadline: Date.UTC(2030, 0, 1) }, vertices: [] };
  t.is(statusText(s), "job j1 'wc': CREATED, waiting for 5 slots (1 free) until 2030-01-01T00:00:00.000Z");
  t.regex(progressLine(s, Date.now()), /^\[ {2}0\.0s\] CREATED {3}waiting for 5 slots \(1 free\) \| $/);
  t.deepEqual((statusJson(s) as { slotWait: unknown }).slotWait, { slotsNeeded: 5, slotsFree: 1, deadline: Date.UTC(2030, 0, 1) });
});

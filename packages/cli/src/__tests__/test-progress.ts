import test from 'ava';
import type { FailureView, JobStatusView } from '@eddy/sdk/client';
import { failureText, statusJson } from '../progress.js';

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
  const s = { jobId: 'j', name: 'n', state: 'FAILED', startTime: 1, endTime: 2, failure: lost, vertices: [] } as unknown as JobStatusView;
  t.like((statusJson(s) as { failure: object }).failure, { peerFailure: false, taskManager: 'tm-abc', subtask: -1 });
});

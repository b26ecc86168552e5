import test from 'ava';
import type { FailureView, JobStatusView, SubtaskView } from '@eddy/sdk/client';
import { failureText, progressLine, statusJson, statusText } from '../progress.js';
import { ProgressReporter } from '../progress-reporter.js';

function subtask(index: number, state: string): SubtaskView {
  return { index, state, taskManager: 'tm', recordsIn: 0, recordsOut: 0, firstRecordTime: 0, endTime: 0 };
}

function status(state: string, subtaskStates: string[]): JobStatusView {
  return {
    jobId: 'j1',
    name: 'job',
    state,
    startTime: 1,
    endTime: 0,
    failure: undefined,
    slotWait: undefined,
    vertices: [{ id: 'v1', name: 'Source: Generator', parallelism: subtaskStates.length, subtasks: subtaskStates.map((st, i) => subtask(i, st)) }],
  };
}

test('progress: a line counts the subtasks in each state, running first', (t) => {
  t.regex(progressLine(status('RUNNING', ['RUNNING', 'RUNNING']), 0, 0), /Source: Generator \[2\/2 running\]/);
  t.regex(progressLine(status('RUNNING', ['DEPLOYING', 'RUNNING']), 0, 0), /\[1\/2 running, 1\/2 deploying\]/);
  t.regex(progressLine(status('FINISHED', ['FINISHED', 'FINISHED']), 0, 1500), /^\[ {2}1\.5s\] FINISHED .*\[2\/2 finished\]/);
  t.regex(progressLine(status('FAILED', ['FAILED', 'CANCELED']), 0, 0), /\[1\/2 canceled, 1\/2 failed\]/);
});

test('progress-reporter: prints a running job at most once a second and its final status exactly once', (t) => {
  let now = 0;
  const out: string[] = [];
  const r = new ProgressReporter({ write: (l) => out.push(l), now: () => now });
  const running = status('RUNNING', ['RUNNING']);
  const finished = status('FINISHED', ['FINISHED']);
  for (const [at, s] of [[0, running], [500, running], [1000, running], [1500, running], [2000, finished]] as const) {
    now = at;
    r.onStatus(s);
  }
  r.finish(finished);
  r.onStatus(running);
  t.is(out.length, 3);
  t.regex(out[0]!, /^\[ {2}0\.0s\] RUNNING/);
  t.regex(out[1]!, /^\[ {2}1\.0s\] RUNNING/);
  t.regex(out[2]!, /^\[ {2}2\.0s\] FINISHED .*\[1\/1 finished\]/);
  t.is(r.elapsedSeconds(), 2);
});


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

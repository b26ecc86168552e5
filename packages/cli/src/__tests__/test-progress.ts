import test from 'ava';
import type { JobStatusView, SubtaskView } from '@eddy/sdk/client';
import { progressLine } from '../progress.js';
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

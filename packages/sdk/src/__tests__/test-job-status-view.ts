import test from 'ava';
import { toJobStatusView } from '../client/job-status-view.js';

test('job-status-view: keeps whether a failure was only a peer failure', (t) => {
  const failure = { message: 'output channel 0 failed: read ECONNRESET', subtask: 1, taskManager: 'tm-a', peerFailure: true };
  t.like(toJobStatusView({ jobId: 'j', state: 'FAILED', failure }).failure, { peerFailure: true, subtask: 1 });
  t.like(toJobStatusView({ jobId: 'j', state: 'FAILED', failure: { message: 'boom' } }).failure, { peerFailure: false, subtask: -1 });
});

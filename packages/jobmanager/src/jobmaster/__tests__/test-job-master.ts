import test from 'ava';
import { UnavailableError, silentLogger, type JobGraph, type JobPlan } from '@eddy/common';
import type { Execution } from '../../executiongraph/execution-graph.js';
import type { AllocatedSlot } from '../../resourcemanager/resource-manager.js';
import type { TaskExecutorGateway } from '../../rpc/task-executor-gateway.js';
import type { Timers } from '../../timers.js';
import { JobMaster, type JobMasterDeps } from '../job-master.js';

/**
 * A TaskExecutorGateway fake that records calls; `unreachable` makes every cancel fail (with an
 * error of no particular kind, or with the UnavailableError of a TaskManager that cannot be reached).
 */
function testingGateway(unreachable: false | 'error' | 'unavailable' | true = false) {
  const calls: string[] = [];
  const gateway: TaskExecutorGateway = {
    async submitTask(d) {
      calls.push(`submit ${d.taskKey}`);
    },
    async triggerCheckpoint() {},
    async notifyCheckpointComplete() {},
    async notifyCheckpointAborted() {},
    async cancelTask(_jobId, attemptId) {
      calls.push(`cancel ${attemptId}`);
      if (unreachable === 'unavailable') throw new UnavailableError('cannot reach 127.0.0.1:9 (CancelTask): connect ECONNREFUSED');
      if (unreachable) throw new Error('connection refused');
    },
    close() {},
  };
  return { gateway, calls };
}

function manualTimers() {
  const pending: { fn: () => void; ms: number; canceled: boolean }[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      const entry = { fn, ms, canceled: false };
      pending.push(entry);
      return { cancel: () => void (entry.canceled = true) };
    },
    setInterval: () => ({ cancel() {} }),
  };
  return { timers, fire: () => pending.filter((p) => !p.canceled).forEach((p) => p.fn()), pending };
}

const graph: JobGraph = {
  name: 'two-tasks',
  maxParallelism: 128,
  configJson: '{}',
  vertices: [{ id: 'src', name: 'SRC', parallelism: 2, operators: [{ id: 'src', name: 'SRC', kind: 'source', keyed: false }] }],
  edges: [],
};
const plan = { name: 'two-tasks', nodes: [], edges: [] } as unknown as JobPlan;

/** Slot i on TaskManager `taskManagers[i]`. */
function slotsOf(gateway: TaskExecutorGateway, taskManagers = ['tm-1', 'tm-1']): AllocatedSlot[] {
  return taskManagers.map((taskManagerId, index) => ({ taskManagerId, registration: 1, host: '127.0.0.1', index, dataPort: 9000 + index, gateway }));
}

function jobMaster(gateway: TaskExecutorGateway, timers: Timers, released: { n: number }, reportUnreachable: JobMasterDeps['reportUnreachable'] = () => undefined) {
  let now = 100;
  return new JobMaster({ jobId: 'job1', graph, plan, jobManagerId: 'jm-1', logger: silentLogger, clock: () => now++, timers, releaseSlots: () => released.n++, reportUnreachable });
}

test('job-master: a cancel that no task confirms becomes CANCELED after the cancel timeout', async (t) => {
  const { gateway, calls } = testingGateway();
  const clock = manualTimers();
  const released = { n: 0 };
  const jm = jobMaster(gateway, clock.timers, released);
  jm.start(slotsOf(gateway));
  t.is(jm.state, 'RUNNING');
  t.is(jm.cancel(), 'CANCELING');
  await Promise.resolve();
  t.deepEqual(calls.filter((c) => c.startsWith('cancel')).length, 2);
  t.is(clock.pending[0]?.ms, 10_000);
  clock.fire();
  t.is(jm.state, 'CANCELED');
  t.true(jm.executionGraph.all().every((e) => e.state === 'CANCELED'));
  t.is(released.n, 1);
  t.true(jm.endTime > jm.startTime);
});

test('job-master: a failing job is FAILED once no task runs, or at the latest after the cancel timeout', async (t) => {
  const { gateway } = testingGateway();
  const clock = manualTimers();
  const released = { n: 0 };
  const jm = jobMaster(gateway, clock.timers, released);
  jm.start(slotsOf(gateway));
  const [a] = jm.executionGraph.all() as unknown as [{ attemptId: string }];
  jm.updateTaskExecutionState(a.attemptId, 'FAILED', { message: 'boom' });
  t.is(jm.state, 'FAILING');
  t.is(released.n, 0);
  clock.fire();
  t.is(jm.state, 'FAILED');
  t.is(jm.failure?.message, 'boom');
  t.is(released.n, 1);
});

test('job-master: a failing job whose other tasks sit on an unreachable TaskManager is FAILED at once', async (t) => {
  const { gateway } = testingGateway(true);
  const jm = jobMaster(gateway, manualTimers().timers, { n: 0 });
  jm.start(slotsOf(gateway));
  const [a] = jm.executionGraph.all() as unknown as [{ attemptId: string }];
  jm.updateTaskExecutionState(a.attemptId, 'FAILED', { message: 'boom' });
  await new Promise((r) => setImmediate(r));
  t.is(jm.state, 'FAILED');
});

test('job-master: tasks on an unreachable TaskManager count as canceled', async (t) => {
  const { gateway } = testingGateway(true);
  const released = { n: 0 };
  const jm = jobMaster(gateway, manualTimers().timers, released);
  jm.start(slotsOf(gateway));
  jm.cancel();
  await new Promise((r) => setImmediate(r));
  t.is(jm.state, 'CANCELED');
  t.is(released.n, 1);
});

test('job-master: ignores reports of unknown attempts, unknown states and illegal transitions', (t) => {
  const { gateway } = testingGateway();
  const jm = jobMaster(gateway, manualTimers().timers, { n: 0 });
  jm.start(slotsOf(gateway));
  const [a, b] = jm.executionGraph.all() as unknown as [{ attemptId: string }, { attemptId: string }];
  jm.updateTaskExecutionState('nope', 'FAILED', undefined);
  jm.updateTaskExecutionState(a.attemptId, 'EXPLODED', undefined);
  jm.updateTaskExecutionState(a.attemptId, 'FINISHED', undefined);
  jm.updateTaskExecutionState(a.attemptId, 'RUNNING', undefined); // FINISHED -> RUNNING is illegal
  t.is(jm.state, 'RUNNING');
  jm.updateTaskExecutionState(b.attemptId, 'FINISHED', undefined);
  t.is(jm.state, 'FINISHED');
});

test('job-master: a job waits in CREATED for its slots; a cancel or the slot wait timeout ends it there', (t) => {
  const { gateway, calls } = testingGateway();
  const released = { n: 0 };
  const waiting = jobMaster(gateway, manualTimers().timers, released);
  t.is(waiting.state, 'CREATED');
  t.is(waiting.slotsNeeded, 2);
  t.is(waiting.cancel(), 'CANCELED');
  t.true(waiting.executionGraph.all().every((e) => e.state === 'CANCELED' && e.slot === undefined));
  const starved = jobMaster(gateway, manualTimers().timers, released);
  starved.slotWaitTimedOut('the job needs 2 slots');
  t.is(starved.state, 'FAILED');
  t.like(starved.failure, { message: 'the job needs 2 slots', subtask: -1, taskManager: '', peerFailure: false });
  t.deepEqual(calls, []);
  t.is(released.n, 2);
});

test('job-master: when a TaskManager is lost after a peer failure, the loss is the root cause and its subtasks FAILED', (t) => {
  const { gateway } = testingGateway();
  const jm = jobMaster(gateway, manualTimers().timers, { n: 0 });
  jm.start(slotsOf(gateway, ['tm-1', 'tm-2']));
  const [onTm1, onTm2] = jm.executionGraph.all() as [Execution, Execution];
  jm.updateTaskExecutionState(onTm1.attemptId, 'RUNNING', undefined);
  jm.updateTaskExecutionState(onTm2.attemptId, 'RUNNING', undefined);
  jm.updateTaskExecutionState(onTm1.attemptId, 'FAILED', { message: 'output channel 0 failed: read ECONNRESET', peerFailure: true });
  t.is(jm.state, 'FAILING');
  jm.taskManagerGone('tm-2', 'TaskManager tm-2 (127.0.0.1:9) lost: its connection to the JobManager closed');
  t.is(jm.state, 'FAILED');
  t.like(jm.failure, { message: 'TaskManager tm-2 (127.0.0.1:9) lost: its connection to the JobManager closed', taskManager: 'tm-2', subtask: -1, peerFailure: false });
  t.is(onTm2.state, 'FAILED');
});

test('job-master: a TaskManager that cannot be reached to cancel a task is reported, and its loss fails the task', async (t) => {
  const { gateway } = testingGateway('unavailable');
  const reported: string[] = [];
  const jm: JobMaster = jobMaster(gateway, manualTimers().timers, { n: 0 }, (slot, e) => {
    reported.push(`${slot.taskManagerId}#${slot.registration}: ${(e as Error).message}`);
    jm.taskManagerGone(slot.taskManagerId, `TaskManager ${slot.taskManagerId} lost: ${(e as Error).message}`);
  });
  jm.start(slotsOf(gateway, ['tm-1', 'tm-2']));
  const [peer, onLost] = jm.executionGraph.all() as [Execution, Execution];
  jm.updateTaskExecutionState(peer.attemptId, 'FAILED', { message: 'input channel 1 failed: read ECONNRESET', peerFailure: true });
  await new Promise((r) => setImmediate(r));
  t.deepEqual(reported, ['tm-2#1: cannot reach 127.0.0.1:9 (CancelTask): connect ECONNREFUSED']);
  t.is(onLost.state, 'FAILED');
  t.is(jm.state, 'FAILED');
  t.is(jm.failure?.message, 'TaskManager tm-2 lost: cannot reach 127.0.0.1:9 (CancelTask): connect ECONNREFUSED');
});

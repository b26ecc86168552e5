import test from 'ava';
import { silentLogger, type JobGraph, type JobPlan } from '@eddy/common';
import type { AllocatedSlot } from '../../resourcemanager/resource-manager.js';
import type { TaskExecutorGateway } from '../../rpc/task-executor-gateway.js';
import type { Timers } from '../../timers.js';
import { JobMaster } from '../job-master.js';

/** A TaskExecutorGateway fake that records calls; `unreachable` makes every call fail. */
function testingGateway(unreachable = false) {
  const calls: string[] = [];
  const gateway: TaskExecutorGateway = {
    async submitTask(d) {
      calls.push(`submit ${d.taskKey}`);
    },
    async cancelTask(_jobId, attemptId) {
      calls.push(`cancel ${attemptId}`);
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

function jobMaster(gateway: TaskExecutorGateway, timers: Timers, released: { n: number }) {
  const slots: AllocatedSlot[] = [0, 1].map((index) => ({ taskManagerId: 'tm-1', host: '127.0.0.1', index, dataPort: 9000 + index, gateway }));
  let now = 100;
  return new JobMaster({ jobId: 'job1', graph, plan, slots, logger: silentLogger, clock: () => now++, timers, releaseSlots: () => released.n++ });
}

test('job-master: a cancel that no task confirms becomes CANCELED after the cancel timeout', async (t) => {
  const { gateway, calls } = testingGateway();
  const clock = manualTimers();
  const released = { n: 0 };
  const jm = jobMaster(gateway, clock.timers, released);
  jm.deploy();
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
  jm.deploy();
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
  jm.deploy();
  const [a] = jm.executionGraph.all() as unknown as [{ attemptId: string }];
  jm.updateTaskExecutionState(a.attemptId, 'FAILED', { message: 'boom' });
  await new Promise((r) => setImmediate(r));
  t.is(jm.state, 'FAILED');
});

test('job-master: tasks on an unreachable TaskManager count as canceled', async (t) => {
  const { gateway } = testingGateway(true);
  const released = { n: 0 };
  const jm = jobMaster(gateway, manualTimers().timers, released);
  jm.deploy();
  jm.cancel();
  await new Promise((r) => setImmediate(r));
  t.is(jm.state, 'CANCELED');
  t.is(released.n, 1);
});

test('job-master: ignores reports of unknown attempts, unknown states and illegal transitions', (t) => {
  const { gateway } = testingGateway();
  const jm = jobMaster(gateway, manualTimers().timers, { n: 0 });
  jm.deploy();
  const [a, b] = jm.executionGraph.all() as unknown as [{ attemptId: string }, { attemptId: string }];
  jm.updateTaskExecutionState('nope', 'FAILED', undefined);
  jm.updateTaskExecutionState(a.attemptId, 'EXPLODED', undefined);
  jm.updateTaskExecutionState(a.attemptId, 'FINISHED', undefined);
  jm.updateTaskExecutionState(a.attemptId, 'RUNNING', undefined); // FINISHED -> RUNNING is illegal
  t.is(jm.state, 'RUNNING');
  jm.updateTaskExecutionState(b.attemptId, 'FINISHED', undefined);
  t.is(jm.state, 'FINISHED');
});

import test from 'ava';
import { HeartbeatMonitor, type HeartbeatTarget } from '../heartbeat-monitor.js';
import type { Timers } from '../../timers.js';

const noTimers: Timers = {
  setTimeout: () => ({ cancel() {} }),
  setInterval: () => ({ cancel() {} }),
};

test('heartbeat-monitor: declares a target lost once it has been silent for the timeout, not before', (t) => {
  let now = 1_000;
  const targets: HeartbeatTarget[] = [
    { id: 'tm-a', lastHeartbeat: 1_000 },
    { id: 'tm-b', lastHeartbeat: 1_000 },
  ];
  const lost: [string, string][] = [];
  const monitor = new HeartbeatMonitor({ targets: () => targets, onTimeout: (id, reason) => lost.push([id, reason]), timeoutMs: 10_000, clock: () => now, timers: noTimers });
  now = 10_999;
  t.deepEqual(monitor.check(), []);
  targets[1] = { id: 'tm-b', lastHeartbeat: 10_999 };
  now = 11_000;
  t.deepEqual(monitor.check(), ['tm-a']);
  t.deepEqual(lost, [['tm-a', 'no heartbeat for 10000 ms']]);
});

test('heartbeat-monitor: checks on the injected timer until stopped', (t) => {
  const ticks: (() => void)[] = [];
  let canceled = 0;
  const timers: Timers = {
    setTimeout: () => ({ cancel() {} }),
    setInterval: (fn, ms) => {
      t.is(ms, 2_500);
      ticks.push(fn);
      return { cancel: () => canceled++ };
    },
  };
  const lost: string[] = [];
  const monitor = new HeartbeatMonitor({ targets: () => [{ id: 'tm-a', lastHeartbeat: 0 }], onTimeout: (id) => lost.push(id), timeoutMs: 10_000, clock: () => 20_000, timers });
  monitor.start();
  ticks[0]!();
  t.deepEqual(lost, ['tm-a']);
  monitor.stop();
  t.is(canceled, 1);
});

import test from 'ava';
import type { Logger } from '@eddy/common';
import { JobManagerMonitor, type MonitorTimers } from '../job-manager-monitor.js';

/** A manual clock whose timers fire only when the test advances it. */
function manualTime() {
  let now = 0;
  const pending: { at: number; fn: () => void; canceled: boolean }[] = [];
  const timers: MonitorTimers = {
    setTimeout(fn, ms) {
      const p = { at: now + ms, fn, canceled: false };
      pending.push(p);
      return { cancel: () => void (p.canceled = true) };
    },
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const p of pending.filter((x) => !x.canceled && x.at <= now)) {
      p.canceled = true;
      p.fn();
    }
  };
  return { timers, clock: () => now, advance };
}

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (msg) => void lines.push(msg),
    warn: (msg) => void lines.push(msg),
    error: (msg) => void lines.push(msg),
    child: () => logger,
  };
  return logger;
}

function monitor(timeoutMs = 10_000) {
  const time = manualTime();
  const log: string[] = [];
  const events: string[] = [];
  const m = new JobManagerMonitor({
    timeoutMs,
    logger: recordingLogger(log),
    clock: time.clock,
    timers: time.timers,
    onLost: (id) => events.push(`lost ${id}`),
    onReplaced: (previous, current) => events.push(`replaced ${previous} by ${current}`),
  });
  return { m, time, log, events };
}

test('job-manager-monitor: says once that the JobManager is unreachable, and once that it is back, however many calls fail', (t) => {
  const { m, time, log, events } = monitor();
  m.registered('jm-a');
  t.is(m.state, 'CONNECTED');
  for (let i = 0; i < 5; i++) {
    m.unreachable(new Error('connect ECONNREFUSED'));
    time.advance(1000);
  }
  t.is(m.state, 'UNREACHABLE');
  m.reachable();
  m.reachable();
  t.is(m.state, 'CONNECTED');
  t.deepEqual(log, ['jobmanager unreachable', 'jobmanager reachable again']);
  time.advance(60_000);
  t.deepEqual(events, []);
});

test('job-manager-monitor: a JobManager unreachable for the timeout is lost once, and not before', (t) => {
  const { m, time, log, events } = monitor(10_000);
  m.registered('jm-a');
  m.unreachable(new Error('stream ended'));
  time.advance(9_999);
  m.unreachable(new Error('connect ECONNREFUSED'));
  t.deepEqual(events, []);
  time.advance(1);
  t.deepEqual(events, ['lost jm-a']);
  t.is(m.state, 'LOST');
  m.unreachable(new Error('connect ECONNREFUSED'));
  time.advance(30_000);
  t.deepEqual(events, ['lost jm-a']);
  // It comes back as the same JobManager: nothing more to cancel.
  m.registered('jm-a');
  t.deepEqual(events, ['lost jm-a']);
  t.deepEqual(log, ['jobmanager unreachable', 'jobmanager lost: canceling its tasks', 'jobmanager reachable again']);
});

test('job-manager-monitor: a registration that finds another JobManager id replaces the old one at once', (t) => {
  const { m, time, events, log } = monitor(60_000);
  m.registered('jm-a');
  m.unreachable(new Error('stream ended'));
  time.advance(500);
  m.registered('jm-b');
  t.deepEqual(events, ['replaced jm-a by jm-b']);
  t.is(m.jobManagerId, 'jm-b');
  t.is(m.state, 'CONNECTED');
  time.advance(120_000);
  t.deepEqual(events, ['replaced jm-a by jm-b']);
  t.deepEqual(log, ['jobmanager unreachable', 'jobmanager reachable again', 'jobmanager replaced: canceling the tasks of the previous one']);
});

test('job-manager-monitor: failures before the first registration are not news', (t) => {
  const { m, time, events, log } = monitor(100);
  m.unreachable(new Error('connect ECONNREFUSED'));
  time.advance(1000);
  t.is(m.state, 'REGISTERING');
  t.deepEqual([events, log], [[], []]);
});

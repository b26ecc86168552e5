import test from 'ava';
import { EddyError, UnavailableError, UserFunctionError } from '@eddy/common';
import { ManualTime } from '../../__tests__/helpers/manual-time.js';
import { classifyFailure } from '../failure-cause.js';
import { RestartHistory } from '../restart-history.js';
import { compileRestartStrategyOptions, type RestartStrategyOptions } from '../restart-strategy-options.js';
import { createRestartStrategy, type RestartDecision } from '../restart-strategy.js';

const boom = new Error('boom');
const delays = (ds: RestartDecision[]) => ds.map((d) => (d.restart ? d.delayMs : d.reason));

function strategy(o: RestartStrategyOptions, random = () => 0.5) {
  const time = new ManualTime(0);
  return { time, s: createRestartStrategy(compileRestartStrategyOptions(o), { clock: time.clock, random }) };
}

test('restart-strategy: fixed delay restarts `attempts` times after `delayMs`, then is exhausted for good', (t) => {
  const { s } = strategy({ kind: 'fixed-delay', attempts: 2, delayMs: 500 });
  t.deepEqual(delays([s.onFailure(boom), s.onFailure(boom)]), [500, 500]);
  t.false(s.exhausted);
  const third = s.onFailure(boom);
  t.deepEqual(third, { restart: false, reason: 'exhausted', message: 'restart strategy fixed-delay (2 attempts, 500 ms) is exhausted' });
  t.true(s.exhausted);
  t.deepEqual(delays([s.onFailure(boom)]), ['exhausted']);
});

test('restart-strategy: exponential delay is the default and grows by the multiplier up to the maximum', (t) => {
  t.like(compileRestartStrategyOptions(), { kind: 'exponential-delay', initialMs: 1000, maxMs: 60_000, multiplier: 1.5, resetAfterMs: 3_600_000, jitter: 0.1, maxAttempts: Infinity });
  const { s, time } = strategy({ kind: 'exponential-delay', initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 });
  const ds: RestartDecision[] = [];
  for (let i = 0; i < 6; i++) {
    ds.push(s.onFailure(boom));
    time.advance(2000);
  }
  t.deepEqual(delays(ds), [100, 200, 400, 800, 1000, 1000]);
});

test('restart-strategy: exponential delay starts again from the initial delay after a stable period', (t) => {
  const { s, time } = strategy({ kind: 'exponential-delay', initialMs: 100, maxMs: 10_000, multiplier: 2, jitter: 0, resetAfterMs: 60_000, maxAttempts: 2 });
  t.deepEqual(delays([s.onFailure(boom)]), [100]);
  time.advance(100 + 59_999); // back at 100 ms, then one ms short of stable
  t.deepEqual(delays([s.onFailure(boom)]), [200]);
  time.advance(200 + 60_000); // stable for the whole period since the restart
  t.deepEqual(delays([s.onFailure(boom)]), [100], 'reset: the delay and the attempt budget');
  t.deepEqual(delays([s.onFailure(boom), s.onFailure(boom)]), [200, 'exhausted']);
});

test('restart-strategy: exponential delay moves each delay by at most the jitter fraction', (t) => {
  const low = strategy({ kind: 'exponential-delay', initialMs: 1000, jitter: 0.2 }, () => 0).s;
  const high = strategy({ kind: 'exponential-delay', initialMs: 1000, jitter: 0.2 }, () => 0.999_999).s;
  t.deepEqual(delays([low.onFailure(boom)]), [800]);
  t.deepEqual(delays([high.onFailure(boom)]), [1200]);
  const capped = strategy({ kind: 'exponential-delay', initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 0.999).s;
  t.deepEqual(delays([capped.onFailure(boom)]), [1000], 'jitter never exceeds the maximum');
});

test('restart-strategy: failure rate allows maxFailures per interval and fails on one more', (t) => {
  const { s, time } = strategy({ kind: 'failure-rate', maxFailures: 2, intervalMs: 10_000, delayMs: 300 });
  t.deepEqual(delays([s.onFailure(boom)]), [300]);
  time.advance(6000);
  t.deepEqual(delays([s.onFailure(boom)]), [300]);
  time.advance(4000); // the first failure is now 10 s old: out of the interval
  t.deepEqual(delays([s.onFailure(boom)]), [300]);
  time.advance(1000);
  t.deepEqual(delays([s.onFailure(boom)]), ['exhausted']);
  t.true(s.exhausted);
});

test('restart-strategy: reads the retry hint, not the message, and never restarts a no-retry failure', (t) => {
  const { s } = strategy({ kind: 'fixed-delay', attempts: 5 });
  const fatal = Object.assign(new EddyError('please retry', { domain: 'user' }), { retryHint: 'no-retry' });
  t.deepEqual(s.onFailure(fatal), { restart: false, reason: 'not-retryable', message: 'the failure cannot be retried (user error)' });
  t.false(s.exhausted, 'a failure that cannot be retried does not spend the budget');
  t.deepEqual(delays([s.onFailure({ message: 'no-retry', retryHint: 'retry' })]), [1000]);
  t.deepEqual(delays([s.onFailure({ message: 'TaskManager lost', domain: 'external', retryHint: 'no-retry' })]), ['not-retryable']);
});

test('restart-strategy: none never restarts', (t) => {
  const { s } = strategy({ kind: 'none' });
  t.deepEqual(delays([s.onFailure(boom)]), ['exhausted']);
  t.true(s.exhausted);
});

test('restart-strategy-options: rejects bad parameters naming them', (t) => {
  const bad: [RestartStrategyOptions, RegExp][] = [
    [{ kind: 'fixed-delay', attempts: -1 }, /attempts/],
    [{ kind: 'fixed-delay', delayMs: 1.5 }, /delayMs/],
    [{ kind: 'exponential-delay', initialMs: 5000, maxMs: 1000 }, /maxMs \(1000\) must not be less than initialMs \(5000\)/],
    [{ kind: 'exponential-delay', multiplier: 0.5 }, /multiplier/],
    [{ kind: 'exponential-delay', jitter: 2 }, /jitter/],
    [{ kind: 'failure-rate', intervalMs: 0 }, /intervalMs/],
    [{ kind: 'failure-rate', maxFailures: Infinity }, /maxFailures must be finite/],
    [{ kind: 'sometimes' } as never, /restart strategy must be one of/],
  ];
  for (const [o, message] of bad) t.throws(() => compileRestartStrategyOptions(o), { name: 'ValidationError', message }, JSON.stringify(o));
  t.deepEqual(compileRestartStrategyOptions({ kind: 'fixed-delay', attempts: Infinity }), { kind: 'fixed-delay', attempts: Infinity, delayMs: 1000 });
});

test('failure-cause: takes domain and retry hint from the error, defaulting to internal and retry', (t) => {
  t.deepEqual(classifyFailure(new UnavailableError('TaskManager tm-1 is gone')), { message: 'TaskManager tm-1 is gone', domain: 'external', retryHint: 'retry' });
  t.like(classifyFailure(new UserFunctionError('op', 'Map', new Error('x'))), { domain: 'user', retryHint: 'retry' });
  t.deepEqual(classifyFailure('plain string'), { message: 'plain string', domain: 'internal', retryHint: 'retry' });
  t.like(classifyFailure({ message: 'm', domain: 'cosmic', retryHint: 'maybe' }), { domain: 'internal', retryHint: 'retry' });
});

test('restart-history: keeps each failure with its time, message, decision and the checkpoint restored from', (t) => {
  const h = new RestartHistory(2);
  h.recordFailure(1000, new UnavailableError('TaskManager tm-1 lost'), { restart: true, delayMs: 500 });
  h.recordRestore(1500, 7);
  h.recordRestore(1600, 8); // a second restore for the same failure changes nothing
  h.recordFailure(2000, new Error('boom'), { restart: true, delayMs: 750 });
  h.recordRestore(2750, undefined);
  t.deepEqual(h.entries(), [
    { failureTime: 1000, message: 'TaskManager tm-1 lost', domain: 'external', decision: 'restart', delayMs: 500, restored: { time: 1500, checkpointId: 7 } },
    { failureTime: 2000, message: 'boom', domain: 'internal', decision: 'restart', delayMs: 750, restored: { time: 2750, checkpointId: undefined } },
  ]);
  h.recordFailure(3000, new Error('again'), { restart: false, reason: 'exhausted', message: 'spent' });
  h.recordRestore(3100, 9);
  t.is(h.failures, 3);
  t.deepEqual(h.entries().map((e) => [e.message, e.decision, e.restored?.checkpointId]), [
    ['boom', 'restart', undefined],
    ['again', 'exhausted', undefined],
  ]);
});

import test from 'ava';
import { compileCheckpointConfig } from '../checkpoint-config.js';
import { compileRestartStrategy, defaultRestartStrategy } from '../restart-strategy.js';
import { parseJobConfig } from '../parse-job-config.js';
import { DEFAULT_JOB_CONFIG } from '../job-plan.js';

test('checkpoint-config: defaults are Flink\'s', (t) => {
  t.deepEqual(compileCheckpointConfig(1000), { intervalMs: 1000, mode: 'exactly-once', timeoutMs: 600_000, minPauseMs: 0, maxConcurrent: 1, retained: 1 });
  t.deepEqual(compileCheckpointConfig(50, { mode: 'at-least-once', timeoutMs: 2000, minPauseMs: 10, retained: 3, maxConcurrent: undefined }), {
    intervalMs: 50, mode: 'at-least-once', timeoutMs: 2000, minPauseMs: 10, maxConcurrent: 1, retained: 3,
  });
});

test('checkpoint-config: every invalid option is named with what was given', (t) => {
  const cases: [unknown, unknown, string][] = [
    [5, {}, 'checkpointing: intervalMs must be an integer >= 10 (milliseconds), got 5'],
    [10.5, {}, 'checkpointing: intervalMs must be an integer >= 10 (milliseconds), got 10.5'],
    ['1000', {}, "checkpointing: intervalMs must be an integer >= 10 (milliseconds), got '1000'"],
    [1000, null, 'checkpointing: options must be an object, got null'],
    [1000, { mode: 'once' }, "checkpointing: mode must be 'exactly-once' or 'at-least-once', got 'once'"],
    [1000, { timeoutMs: 0 }, 'checkpointing: timeoutMs must be an integer >= 10 (milliseconds), got 0'],
    [1000, { minPauseMs: -1 }, 'checkpointing: minPauseMs must be a non-negative integer (milliseconds), got -1'],
    [1000, { maxConcurrent: 0 }, 'checkpointing: maxConcurrent must be a positive integer, got 0'],
    [1000, { retained: 1.5 }, 'checkpointing: retained must be a positive integer, got 1.5'],
    [1000, { minPauseMs: 100, maxConcurrent: 2 }, 'checkpointing: maxConcurrent must be 1 when minPauseMs is set (a pause between checkpoints allows one at a time), got 2'],
    [1000, { timeout: 5 }, "checkpointing: unknown option 'timeout' (known: mode, timeoutMs, minPauseMs, maxConcurrent, retained)"],
  ];
  for (const [interval, options, message] of cases) {
    t.throws(() => compileCheckpointConfig(interval, options), { name: 'ValidationError', message });
  }
});

test('restart-strategy: defaults per kind, and the default strategy follows checkpointing', (t) => {
  t.deepEqual(compileRestartStrategy({ kind: 'fixed-delay' }), { kind: 'fixed-delay', attempts: 1, delayMs: 1000 });
  t.deepEqual(compileRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 0 }), { kind: 'fixed-delay', attempts: 3, delayMs: 0 });
  t.deepEqual(compileRestartStrategy({ kind: 'failure-rate', maxFailures: 2 }), { kind: 'failure-rate', maxFailures: 2, intervalMs: 60_000, delayMs: 1000 });
  t.deepEqual(compileRestartStrategy({ kind: 'none' }), { kind: 'none' });
  const exponential = { kind: 'exponential-backoff', initialMs: 1000, maxMs: 60_000, multiplier: 1.5, resetAfterMs: 3_600_000, jitter: 0.1 };
  t.deepEqual(compileRestartStrategy({ kind: 'exponential-backoff' }), exponential);
  t.deepEqual(defaultRestartStrategy(null), { kind: 'none' });
  t.deepEqual(defaultRestartStrategy(compileCheckpointConfig(1000)), exponential);
});

test('restart-strategy: every invalid option is named with what was given', (t) => {
  const cases: [unknown, string][] = [
    [undefined, 'restart strategy: options must be an object with a kind, got undefined'],
    [{ kind: 'fixed' }, "restart strategy: kind must be 'fixed-delay', 'exponential-backoff', 'failure-rate', 'none', got 'fixed'"],
    [{ kind: 'fixed-delay', attempts: 0 }, 'restart strategy fixed-delay: attempts must be a positive integer, got 0'],
    [{ kind: 'fixed-delay', delayMs: -5 }, 'restart strategy fixed-delay: delayMs must be a non-negative integer, got -5'],
    [{ kind: 'fixed-delay', delay: 5 }, "restart strategy fixed-delay: unknown option 'delay' (known: kind, attempts, delayMs)"],
    [{ kind: 'exponential-backoff', initialMs: 0 }, 'restart strategy exponential-backoff: initialMs must be a positive integer, got 0'],
    [{ kind: 'exponential-backoff', initialMs: 5000, maxMs: 1000 }, 'restart strategy exponential-backoff: maxMs must be >= initialMs (5000), got 1000'],
    [{ kind: 'exponential-backoff', multiplier: 0.5 }, 'restart strategy exponential-backoff: multiplier must be a number >= 1, got 0.5'],
    [{ kind: 'exponential-backoff', resetAfterMs: Infinity }, 'restart strategy exponential-backoff: resetAfterMs must be a positive integer, got Infinity'],
    [{ kind: 'exponential-backoff', jitter: 1.5 }, 'restart strategy exponential-backoff: jitter must be a number in [0, 1], got 1.5'],
    [{ kind: 'failure-rate', maxFailures: 0 }, 'restart strategy failure-rate: maxFailures must be a positive integer, got 0'],
    [{ kind: 'failure-rate', intervalMs: 0 }, 'restart strategy failure-rate: intervalMs must be a positive integer, got 0'],
    [{ kind: 'failure-rate', delayMs: 'soon' }, "restart strategy failure-rate: delayMs must be a non-negative integer, got 'soon'"],
    [{ kind: 'none', attempts: 3 }, "restart strategy none: unknown option 'attempts' (known: kind)"],
  ];
  for (const [options, message] of cases) {
    t.throws(() => compileRestartStrategy(options), { name: 'ValidationError', message });
  }
});

test('parse-job-config: a graph of an older client gets the defaults; options are compiled again', (t) => {
  t.deepEqual(parseJobConfig(''), DEFAULT_JOB_CONFIG);
  t.deepEqual(parseJobConfig('{"bufferTimeoutMs":5}'), { ...DEFAULT_JOB_CONFIG, bufferTimeoutMs: 5 });
  const on = parseJobConfig('{"checkpointing":{"intervalMs":500}}');
  t.deepEqual(on.checkpointing, compileCheckpointConfig(500));
  t.is(on.restartStrategy.kind, 'exponential-backoff');
  t.throws(() => parseJobConfig('{"checkpointing":{"intervalMs":1}}'), { message: /intervalMs must be an integer >= 10/ });
  t.throws(() => parseJobConfig('{"restartStrategy":{"kind":"always"}}'), { message: /kind must be/ });
  t.throws(() => parseJobConfig('[1]'), { message: 'config_json must be a JSON object' });
});

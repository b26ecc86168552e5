import test from 'ava';
import { compileCheckpointOptions } from '../checkpoint-options.js';

test('checkpoint-options: defaults follow Flink: no periodic trigger, exactly once, 10 minute timeout, no pause, one at a time, three retained', (t) => {
  t.deepEqual(compileCheckpointOptions(), { intervalMs: undefined, mode: 'exactly-once', timeoutMs: 600_000, minPauseMs: 0, maxConcurrent: 1, retained: 3 });
  t.deepEqual(compileCheckpointOptions({ intervalMs: 10, mode: 'at-least-once', maxConcurrent: 4, retained: 1 }), {
    intervalMs: 10,
    mode: 'at-least-once',
    timeoutMs: 600_000,
    minPauseMs: 0,
    maxConcurrent: 4,
    retained: 1,
  });
});

test('checkpoint-options: rejects each bad option with a message naming it', (t) => {
  const bad: [object, RegExp][] = [
    [{ intervalMs: 5 }, /intervalMs must be an integer in \[10,/],
    [{ intervalMs: 1.5e10 }, /intervalMs/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ minPauseMs: -1 }, /minPauseMs/],
    [{ maxConcurrent: 0 }, /maxConcurrent/],
    [{ retained: 0.5 }, /retained/],
    [{ mode: 'exactly-twice' }, /mode must be one of exactly-once, at-least-once/],
    [{ minPauseMs: 100, maxConcurrent: 2 }, /maxConcurrent \(2\) must be 1 when minPauseMs \(100\) is set/],
  ];
  for (const [o, message] of bad) t.throws(() => compileCheckpointOptions(o), { name: 'ValidationError', message }, JSON.stringify(o));
});

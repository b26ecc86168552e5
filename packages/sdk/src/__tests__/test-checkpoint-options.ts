import test from 'ava';
import { buildJobGraph, parseJobConfig, type Source } from '@eddy/common';
import { refuseUnbuiltRecovery } from '../client/recovery-availability.js';
import { defineJob, DiscardingSink, FileSink, FileSource, GeneratorSource, NexmarkSource, type StreamExecutionEnvironment } from '../index.js';

const planOf = (build: (env: StreamExecutionEnvironment) => void) =>
  defineJob((env) => {
    build(env);
    env.fromGenerator(10, (i) => i).sinkTo(new DiscardingSink());
  }).plan([], { defaultParallelism: 2 });

test('checkpoint options: off by default, no restarts; enabled, Flink\'s defaults and exponential backoff', (t) => {
  const off = planOf(() => {});
  t.is(off.config.checkpointing, null);
  t.deepEqual(off.config.restartStrategy, { kind: 'none' });
  const on = planOf((env) => env.enableCheckpointing(5000));
  t.deepEqual(on.config.checkpointing, { intervalMs: 5000, mode: 'exactly-once', timeoutMs: 600_000, minPauseMs: 0, maxConcurrent: 1, retained: 1 });
  t.deepEqual(on.config.restartStrategy, { kind: 'exponential-backoff', initialMs: 1000, maxMs: 60_000, multiplier: 1.5, resetAfterMs: 3_600_000, jitter: 0.1 });
});

test('checkpoint options: carried in the job graph\'s config_json, where the JobManager reads them back', (t) => {
  const plan = planOf((env) => {
    env.setRestartStrategy({ kind: 'fixed-delay', attempts: 3, delayMs: 200 });
    env.enableCheckpointing(250, { mode: 'at-least-once', timeoutMs: 30_000, minPauseMs: 100, retained: 2 });
  });
  const config = parseJobConfig(buildJobGraph(plan).configJson);
  t.deepEqual(config.checkpointing, { intervalMs: 250, mode: 'at-least-once', timeoutMs: 30_000, minPauseMs: 100, maxConcurrent: 1, retained: 2 });
  t.deepEqual(config.restartStrategy, { kind: 'fixed-delay', attempts: 3, delayMs: 200 }, 'a chosen strategy stands, whatever the order of the calls');
  t.deepEqual(parseJobConfig(buildJobGraph(planOf((env) => env.configure({ bufferTimeoutMs: 10 }))).configJson).checkpointing, null);
});

test('checkpoint options: invalid options fail at once with the exact reason', (t) => {
  const cases: [(e: StreamExecutionEnvironment) => void, string][] = [
    [(e) => e.enableCheckpointing(0), 'checkpointing: intervalMs must be an integer >= 10 (milliseconds), got 0'],
    [(e) => e.enableCheckpointing(1000, { mode: 'exactly_once' as never }), "checkpointing: mode must be 'exactly-once' or 'at-least-once', got 'exactly_once'"],
    [(e) => e.enableCheckpointing(1000, { maxConcurrent: 2, minPauseMs: 5 }), 'checkpointing: maxConcurrent must be 1 when minPauseMs is set (a pause between checkpoints allows one at a time), got 2'],
    [(e) => e.enableCheckpointing(1000, { retain: 3 } as never), "checkpointing: unknown option 'retain' (known: mode, timeoutMs, minPauseMs, maxConcurrent, retained)"],
    [(e) => e.setRestartStrategy({ kind: 'fixed-delay', attempts: -1 }), 'restart strategy fixed-delay: attempts must be a positive integer, got -1'],
    [(e) => e.setRestartStrategy({ kind: 'exponential-backoff', jitter: 2 }), 'restart strategy exponential-backoff: jitter must be a number in [0, 1], got 2'],
    [(e) => e.setRestartStrategy({ kind: 'failure-rate', intervalMs: 0 }), 'restart strategy failure-rate: intervalMs must be a positive integer, got 0'],
    [(e) => e.setRestartStrategy({ kind: 'sometimes' } as never), "restart strategy: kind must be 'fixed-delay', 'exponential-backoff', 'failure-rate', 'none', got 'sometimes'"],
    [(e) => e.configure({ checkpointing: { intervalMs: 3 } as never }), 'checkpointing: intervalMs must be an integer >= 10 (milliseconds), got 3'],
  ];
  for (const [call, message] of cases) t.throws(() => planOf(call), { name: 'ValidationError', message });
});

test('checkpoint options: a source that cannot take part is rejected when the plan is built (at submission), naming it', (t) => {
  const inner = new GeneratorSource(3, (i) => i);
  const plain: Source<number> = { boundedness: 'bounded', createEnumerator: (c) => inner.createEnumerator(c), createReader: (c) => inner.createReader(c), describe: () => 'plain' };
  const job = (checkpointing: boolean) =>
    defineJob((env) => {
      if (checkpointing) env.enableCheckpointing(1000);
      env.fromSource(plain, 'Plain').uid('plain').sinkTo(new DiscardingSink());
    });
  t.notThrows(() => job(false).plan([], { defaultParallelism: 1 }), 'without checkpointing it runs as before');
  t.throws(() => job(true).plan([], { defaultParallelism: 1 }), {
    name: 'ValidationError',
    message: "source 'Plain' (plain) cannot take part in checkpoints: it does not implement restoreEnumerator(), so its position cannot be checkpointed and restored; disable checkpointing or use another source",
  });
});

test('checkpoint options: a sink with half a two-phase commit is rejected, naming what it lacks', (t) => {
  const halfDone = { createWriter: () => ({ write() {} }), createCommitter: () => ({ commit: async () => {} }) };
  t.throws(
    () =>
      defineJob((env) => {
        env.enableCheckpointing(1000);
        env.fromElements(1).sinkTo(halfDone).name('Half');
      }).plan([], { defaultParallelism: 1 }),
    { name: 'ValidationError', message: /^sink 'Half' \(sink-[0-9a-f]{8}\) cannot take part in checkpoints: it implements createCommitter\(\) but not restoreWriter\(\)/ },
  );
});

test('checkpoint options: every built-in source and the FileSink can take part', (t) => {
  t.notThrows(() =>
    defineJob((env) => {
      env.enableCheckpointing(1000);
      env.fromElements(1, 2).sinkTo(new DiscardingSink());
      env.fromGenerator(Infinity, (i) => i, { ratePerSecond: 10 }).sinkTo(new DiscardingSink());
      env.fromSource(new NexmarkSource({ events: 10 })).sinkTo(new DiscardingSink());
      env.fromSource(FileSource.forPath('in.txt')).sinkTo(FileSink.forPath('out'));
    }).plan([], { defaultParallelism: 1 }),
  );
});

test('checkpoint options: until the runtime takes checkpoints and restarts jobs, the client refuses jobs that ask for them', (t) => {
  t.notThrows(() => refuseUnbuiltRecovery(planOf(() => {})));
  t.notThrows(() => refuseUnbuiltRecovery(planOf((env) => env.setRestartStrategy({ kind: 'none' }))));
  t.throws(() => refuseUnbuiltRecovery(planOf((env) => env.enableCheckpointing(1000))), { name: 'ValidationError', message: /^checkpointing is not available yet: .* takes no checkpoints/ });
  t.throws(() => refuseUnbuiltRecovery(planOf((env) => env.setRestartStrategy({ kind: 'fixed-delay' }))), { name: 'ValidationError', message: /^restart strategy 'fixed-delay' is not available yet/ });
});

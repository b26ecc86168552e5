// Interval join of two event-time streams keyed by `key`: each left record with each right record of
// the same key whose time is in [left.t + lower, left.t + upper].
// args: [output dir, left count, right count, lower, upper]
// Left i: { id: i, key: `k<i % 3>`, t: i * 10 }; right j: { id: j, key: `k<j % 4>`, t: j * 15 + 3 }.
// Sources at parallelism 1, so each stream is in time order and no record is late.
import { defineJob, FileSink, GeneratorSource, WatermarkStrategy } from '@eddy/sdk';
import { leftEvent, rightEvent, type Ev, type Pair } from '../src/fixtures/interval-join-input.js';

export default defineJob((env, args) => {
  const [out, nl, nr, lower, upper] = [args[0]!, Number(args[1] ?? 3_000), Number(args[2] ?? 2_000), Number(args[3] ?? -22), Number(args[4] ?? 38)];
  const strategy = WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.t);
  const left = env.fromSource(new GeneratorSource(nl, leftEvent), strategy, 'Left').setParallelism(1);
  const right = env.fromSource(new GeneratorSource(nr, rightEvent), strategy, 'Right').setParallelism(1);
  left
    .keyBy((e) => e.key)
    .intervalJoin(right.keyBy((e) => e.key))
    .between(lower, upper)
    .process((l, r, ctx, o: { collect(p: Pair): void }) => o.collect({ l: l.id, r: r.id, key: l.key, lt: ctx.leftTimestamp, rt: ctx.rightTimestamp, ts: ctx.timestamp }))
    .name('IntervalJoin')
    .sinkTo(FileSink.forPath<Pair>(out));
});

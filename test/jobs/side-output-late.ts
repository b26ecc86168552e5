// Late records of a keyed tumbling event-time window go to a side output.
// args: [windows output dir, late output dir, count, records per second]
// Record i: { i, key: `k<i % 3>`, t: BASE + i * 100 }, except every 50th (i % 50 === 49) whose time is
// 400 s older (BASE + i * 100 - 400_000). Normal records are in time order (so never late, with a
// watermark of max - 1); the old ones are 4,000 records behind, so they are late unless the watermark
// lags that much (the source is rate-limited so that it cannot, except near the start).
import { defineJob, FileSink, GeneratorSource, OutputTag, TumblingEventTimeWindows, WatermarkStrategy } from '@eddy/sdk';
import { ev, type Ev, type WindowIds } from '../src/fixtures/late-window-input.js';

export default defineJob((env, args) => {
  const [windowsOut, lateOut, count, rate] = [args[0]!, args[1]!, Number(args[2] ?? 6_000), Number(args[3] ?? 2_000)];
  const late = new OutputTag<Ev>('late');
  const windows = env
    .fromSource(
      new GeneratorSource(count, ev, { ratePerSecond: rate }),
      WatermarkStrategy.forBoundedOutOfOrderness<Ev>(0).withTimestampAssigner((e) => e.t),
      'Events',
    )
    .setParallelism(1)
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(1_000))
    .sideOutputLateData(late)
    .process((key: string, ctx, elements, out: { collect(w: WindowIds): void }) =>
      out.collect({ key, start: ctx.window.start, end: ctx.window.end, ids: elements.map((e) => e.i) }),
    )
    .name('WindowIds');
  windows.sinkTo(FileSink.forPath<WindowIds>(windowsOut));
  windows.getSideOutput(late).sinkTo(FileSink.forPath<Ev>(lateOut));
});

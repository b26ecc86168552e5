// Keyed event-time windows over a bounded generated stream of readings, to a FileSink.
// args: [output dir, 'tumbling' | 'sliding' | 'session', record count]
// Reading i: key k<i % 7>, value 1 + i % 10, event time i * 10 + pause + jitter, where every 300 readings
// the stream pauses 5 s (so sessions with a 500 ms gap split there) and jitter in [0, 50) makes the
// stream out of order by less than the 100 ms the watermark strategy allows.
import {
  defineJob,
  EventTimeSessionWindows,
  FileSink,
  GeneratorSource,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '@eddy/sdk';

interface Reading {
  key: string;
  ts: number;
  v: number;
}

interface Summary {
  key: string;
  start: number;
  end: number;
  sum: number;
  count: number;
}

const reading = (i: number): Reading => ({ key: `k${i % 7}`, ts: i * 10 + Math.floor(i / 300) * 5_000 + ((i * 7919) % 50), v: 1 + (i % 10) });

export default defineJob((env, args) => {
  const [out, kind, count] = [args[0]!, args[1] ?? 'tumbling', Number(args[2] ?? 3_000)];
  const keyed = env
    .fromSource(
      new GeneratorSource(count, reading),
      WatermarkStrategy.forBoundedOutOfOrderness<Reading>(100).withTimestampAssigner((r) => r.ts),
    )
    .keyBy((r) => r.key);
  const sink = FileSink.forPath<Summary>(out);
  switch (kind) {
    case 'tumbling': // incremental reduce, then the window's bounds from a process-window function
      keyed
        .window(TumblingEventTimeWindows.of(1_000))
        .reduce(
          (a, b) => ({ key: a.key, ts: Math.max(a.ts, b.ts), v: a.v + b.v }),
          (key: string, ctx, [r], out: { collect(s: Summary): void }) =>
            out.collect({ key, start: ctx.window.start, end: ctx.window.end, sum: r!.v, count: -1 }),
        )
        .sinkTo(sink);
      break;
    case 'sliding': // incremental aggregate with a process-window function
      keyed
        .window(SlidingEventTimeWindows.of(1_000, 250))
        .aggregate(
          {
            createAccumulator: () => ({ sum: 0, count: 0 }),
            add: (r: Reading, acc) => ({ sum: acc.sum + r.v, count: acc.count + 1 }),
            getResult: (acc) => acc,
          },
          (key: string, ctx, [acc], out: { collect(s: Summary): void }) => out.collect({ key, start: ctx.window.start, end: ctx.window.end, ...acc! }),
        )
        .sinkTo(sink);
      break;
    case 'session': // every element kept, given to process() at once
      keyed
        .window(EventTimeSessionWindows.withGap(500))
        .process((key: string, ctx, elements, out: { collect(s: Summary): void }) =>
          out.collect({ key, start: ctx.window.start, end: ctx.window.end, sum: elements.reduce((s, r) => s + r.v, 0), count: elements.length }),
        )
        .sinkTo(sink);
      break;
    default:
      throw new TypeError(`unknown window kind '${kind}'`);
  }
});

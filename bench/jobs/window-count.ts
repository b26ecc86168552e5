// Benchmark job: a keyed tumbling event-time window count over N generated events (1,000 keys,
// 1 s windows, 1 event per 0.1 ms of event time) on the given state backend. args: [N, backend]
import { defineJob, DiscardingSink, GeneratorSource, TumblingEventTimeWindows, WatermarkStrategy } from '@eddy/sdk';

interface Event { key: number; time: number }

export default defineJob((env, args) => {
  const n = Number(args[0] ?? 2_000_000);
  env.setStateBackend(args[1] === 'heap' ? 'heap' : 'leveldb');
  env
    .fromSource(
      new GeneratorSource(n, (i): Event => ({ key: Math.imul(i, 0x9e3779b1) >>> 18, time: Math.floor(i / 10) })),
      WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((e) => e.time),
    )
    .keyBy((e) => e.key % 1_000)
    .window(TumblingEventTimeWindows.of(1000))
    .aggregate({ createAccumulator: () => 0, add: (_e, n) => n + 1, getResult: (n) => n, merge: (a, b) => a + b })
    .sinkTo(new DiscardingSink());
});

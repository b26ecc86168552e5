/**
 * Windowed clickstream count: clicks per page in tumbling 10-second event-time windows. Clicks arrive
 * up to 2 s out of order; the watermark strategy allows for that, so no click is late.
 *
 *   npx eddy local examples/clickstream.ts -p 2 -- [clicks] [output dir]
 */
import { defineJob, FileSink, GeneratorSource, TumblingEventTimeWindows, WatermarkStrategy, type AggregateFunction } from '@eddy/sdk';

export interface Click {
  user: number;
  page: string;
  time: number; // epoch ms
}

export interface PageCount {
  page: string;
  windowStart: number;
  windowEnd: number;
  clicks: number;
}

const PAGES = ['/', '/search', '/cart', '/checkout', '/help', '/account', '/item/1', '/item/2'];
const BASE_TIME = 1_700_000_000_000;

/** Deterministic clicks: one per 10 ms of event time, each up to 2 s late relative to that pace. */
export function click(i: number): Click {
  let h = Math.imul(i + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = (h ^ (h >>> 13)) >>> 0;
  return { user: h % 5000, page: PAGES[(h >>> 8) % PAGES.length]!, time: BASE_TIME + i * 10 - ((h >>> 4) % 2000) };
}

const count: AggregateFunction<Click, number, number> = {
  createAccumulator: () => 0,
  add: (_c, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
};

export default defineJob((env, args) => {
  const clicks = Number(args[0] ?? 100_000);
  env.setJobName('clickstream');
  env
    .fromSource(
      new GeneratorSource(clicks, click),
      WatermarkStrategy.forBoundedOutOfOrderness<Click>(2_000).withTimestampAssigner((c) => c.time),
      'Clicks',
    )
    .keyBy((c) => c.page)
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate(count, (page, ctx, [n], out) => {
      out.collect({ page, windowStart: ctx.window.start, windowEnd: ctx.window.end, clicks: n! });
    })
    .uid('page-counts')
    .sinkTo(FileSink.forPath(args[1] ?? '.eddy/out/clickstream'));
});

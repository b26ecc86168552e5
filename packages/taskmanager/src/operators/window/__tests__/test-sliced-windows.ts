import test from 'ava';
import { MAX_WATERMARK, type AggregateFunction, type WindowFunctionSpec } from '@eddy/common';
import { CountTrigger, EventTimeTrigger, SlidingEventTimeWindows, SlidingProcessingTimeWindows, TumblingEventTimeWindows } from '@eddy/sdk';
import { SlicedWindowOperator, WINDOW_SLICES_STATE } from '../sliced-window-operator.js';
import { WindowOperator } from '../window-operator.js';
import { random, rec, SUMMARY_FUNCTIONS, windowHarness, type Emitted, type Harness, type Rec } from './window-harness.js';

/**
 * Sum and count in one number (sum * 1e6 + count): a primitive accumulator, as sliced windows need.
 * merge() adds; results are reported as Summary rows like the other window tests'.
 */
const NUMERIC: WindowFunctionSpec = {
  kind: 'aggregate',
  aggregate: {
    createAccumulator: () => 0,
    add: (r, acc) => (acc as number) + (r as Rec).v * 1e6 + 1,
    getResult: (acc) => acc,
    merge: (a, b) => (a as number) + (b as number),
  } satisfies AggregateFunction<unknown, unknown, unknown>,
  process: {
    process: (key, ctx, [r], out) =>
      out.collect({ key, start: ctx.window.start, end: ctx.window.end, sum: Math.floor((r as number) / 1e6), count: (r as number) % 1e6 }),
  },
};

/** The same without the process-window function: the bare number is the result. */
const NUMERIC_BARE: WindowFunctionSpec = { kind: 'aggregate', aggregate: (NUMERIC as { aggregate: AggregateFunction<unknown, unknown, unknown> }).aggregate };

const sorted = (rows: readonly Emitted[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

test('sliced windows: aligned sliding event-time windows with a mergeable aggregate run sliced, everything else does not', async (t) => {
  const sliced = async (assigner: Parameters<typeof windowHarness>[1], fn: WindowFunctionSpec, options?: Parameters<typeof windowHarness>[3]) =>
    (await windowHarness(t, assigner, fn, options)).op instanceof SlicedWindowOperator;
  t.true(await sliced(SlidingEventTimeWindows.of(10_000, 2_000), NUMERIC));
  t.true(await sliced(SlidingEventTimeWindows.of(30, 10, 3), NUMERIC_BARE));
  t.true(await sliced(SlidingEventTimeWindows.of(30, 10), NUMERIC, { trigger: EventTimeTrigger.create() }));
  t.false(await sliced(SlidingEventTimeWindows.of(30, 10), SUMMARY_FUNCTIONS.aggregate), 'an object accumulator');
  t.false(await sliced(SlidingEventTimeWindows.of(30, 10), SUMMARY_FUNCTIONS.reduce));
  t.false(await sliced(SlidingEventTimeWindows.of(30, 10), SUMMARY_FUNCTIONS.process));
  t.false(await sliced(SlidingEventTimeWindows.of(25, 10), NUMERIC), 'size not a multiple of slide');
  t.false(await sliced(SlidingEventTimeWindows.of(30, 10), NUMERIC, { trigger: CountTrigger.of(2) }));
  t.false(await sliced(SlidingProcessingTimeWindows.of(30, 10), NUMERIC));
  t.false(await sliced(TumblingEventTimeWindows.of(10), NUMERIC));
  const { merge: _merge, ...noMerge } = (NUMERIC as { aggregate: AggregateFunction<unknown, unknown, unknown> }).aggregate;
  t.false(await sliced(SlidingEventTimeWindows.of(30, 10), { kind: 'aggregate', aggregate: noMerge }));
  t.true((await windowHarness(t, SlidingEventTimeWindows.of(30, 10), NUMERIC, { slicing: false })).op instanceof WindowOperator);
});

/**
 * Random out-of-order records (some too late, some admitted late) and watermarks, fed to sliced
 * windows and to the WindowOperator: after every step both have emitted the same results with the
 * same timestamps, and the same late records.
 */
for (const [size, slide, offset, lateness] of [
  [20, 5, 0, 0],
  [30, 10, 3, 7],
  [10, 2, 0, 25],
  [40, 10, -4, 10],
] as const) {
  for (const fn of ['with process function', 'bare'] as const) {
    test(`sliced windows: emit exactly what the WindowOperator emits (size ${size}, slide ${slide}, offset ${offset}, lateness ${lateness}, ${fn})`, async (t) => {
      const spec = fn === 'bare' ? NUMERIC_BARE : NUMERIC;
      let lateRecords = 0;
      let firedLate = 0;
      for (const backend of ['heap', 'leveldb'] as const) {
        for (let seed = 1; seed <= 6; seed++) {
          const assigner = SlidingEventTimeWindows.of(size, slide, offset);
          const options = { allowedLatenessMs: lateness, lateDataTag: 'late', backend };
          const sliced = await windowHarness(t, assigner, spec, options);
          const plain = await windowHarness(t, assigner, spec, { ...options, slicing: false });
          t.true(sliced.op instanceof SlicedWindowOperator);
          const both = (f: (h: Harness) => void): void => {
            f(sliced);
            f(plain);
          };
          const rnd = random(seed * 31 + size);
          let watermark = -Infinity;
          let frontier = 100;
          for (let step = 0; step < 400; step++) {
            const watermarkStep = rnd() < 0.15;
            if (watermarkStep) {
              watermark = Math.max(watermark, frontier - Math.floor(rnd() * 15));
              both((h) => h.watermark(watermark));
            } else {
              frontier += Math.floor(rnd() * 3);
              const ts = frontier - Math.floor(rnd() * (rnd() < 0.2 ? 60 : 12));
              const r = rec(`k${Math.floor(rnd() * 5)}`, ts, 1 + Math.floor(rnd() * 9));
              both((h) => h.element(r, ts));
            }
            const got = sliced.out.drain();
            t.deepEqual(sorted(got), sorted(plain.out.drain()), `seed ${seed} ${backend}: step ${step}`);
            if (got.length > 0 && !watermarkStep) firedLate += got.length;
          }
          both((h) => h.watermark(MAX_WATERMARK));
          t.deepEqual(sorted(sliced.out.drain()), sorted(plain.out.drain()), `seed ${seed} ${backend}: final watermark`);
          t.deepEqual(sliced.out.side, plain.out.side, `seed ${seed} ${backend}: late records`);
          lateRecords += plain.out.side.length;
          t.is(sliced.op.lateRecordsToSideOutput, plain.op.lateRecordsToSideOutput);
          t.is(sliced.timers.pendingEventTimers, 0, 'no timer left behind');
          // every slice was cleared
          const slices = sliced.backend.getValueState(sliced.op.id, { kind: 'value', name: WINDOW_SLICES_STATE });
          for (let k = 0; k < 5; k++) {
            sliced.backend.setCurrentKey(`k${k}`);
            for (let start = -100 + offset; start < frontier + size; start += slide) {
              slices.setNamespace(`${start}:${start + slide}`);
              if (slices.value() !== undefined) t.fail(`slice ${start} of k${k} left behind`);
            }
          }
        }
      }
      t.true(lateRecords > 0, 'some records were too late');
      if (lateness > 0) t.true(firedLate > 0, 'some records admitted late fired their windows again');
      t.log(`${lateRecords} late records, ${firedLate} late firings`);
    });
  }
}

test('sliced windows: a window fires once per watermark passing its end, with the slices merged', async (t) => {
  const h = await windowHarness(t, SlidingEventTimeWindows.of(30, 10), NUMERIC);
  t.true(h.op instanceof SlicedWindowOperator);
  h.element(rec('a', 5, 1), 5);
  h.element(rec('a', 15, 2), 15);
  h.element(rec('a', 25, 4), 25);
  h.element(rec('b', 25, 8), 25);
  h.watermark(29);
  t.deepEqual(sorted(h.out.drain()), sorted([
    { value: { key: 'a', start: -20, end: 10, sum: 1, count: 1 }, timestamp: 9 },
    { value: { key: 'a', start: -10, end: 20, sum: 3, count: 2 }, timestamp: 19 },
    { value: { key: 'a', start: 0, end: 30, sum: 7, count: 3 }, timestamp: 29 },
    { value: { key: 'b', start: 0, end: 30, sum: 8, count: 1 }, timestamp: 29 },
  ]));
  h.watermark(MAX_WATERMARK);
  t.is(h.out.drain().length, 4, '[10, 40) and [20, 50) of a, [10, 40) and [20, 50) of b');
  t.is(h.timers.pendingEventTimers, 0);
});

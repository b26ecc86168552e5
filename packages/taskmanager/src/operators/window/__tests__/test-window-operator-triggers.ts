import test from 'ava';
import { MAX_WATERMARK, type WindowTrigger } from '@eddy/common';
import { CountTrigger, EventTimeSessionWindows, PurgingTrigger, TumblingEventTimeWindows } from '@eddy/sdk';
import { rec, sortSummaries, SUMMARY_FUNCTIONS, windowHarness, type Summary } from './window-harness.js';

const summaries = (rows: { value: unknown }[]): Summary[] => rows.map((r) => r.value as Summary);

for (const fn of ['reduce', 'aggregate', 'process'] as const) {
  test(`window-operator: CountTrigger fires every n records and keeps the contents (${fn})`, async (t) => {
    const h = await windowHarness(t, TumblingEventTimeWindows.of(100), SUMMARY_FUNCTIONS[fn], { trigger: CountTrigger.of(3) });
    for (let i = 1; i <= 7; i++) h.element(rec('a', i, i), i);
    t.deepEqual(summaries(h.out.drain()), [
      { key: 'a', start: 0, end: 100, sum: 6, count: 3 },
      { key: 'a', start: 0, end: 100, sum: 21, count: 6 },
    ]);
    h.watermark(MAX_WATERMARK);
    t.deepEqual(h.out.drain(), [], 'the count trigger does not fire on time; the window is cleaned up');
    t.is(h.timers.pendingEventTimers, 0);
  });

  test(`window-operator: PurgingTrigger(CountTrigger) emits each batch of n once (${fn})`, async (t) => {
    const h = await windowHarness(t, TumblingEventTimeWindows.of(100), SUMMARY_FUNCTIONS[fn], { trigger: PurgingTrigger.of(CountTrigger.of(3)) });
    for (let i = 1; i <= 7; i++) h.element(rec('a', i, i), i);
    h.watermark(MAX_WATERMARK);
    t.deepEqual(summaries(h.out.drain()), [
      { key: 'a', start: 0, end: 100, sum: 6, count: 3 },
      { key: 'a', start: 0, end: 100, sum: 15, count: 3 },
    ]);
  });
}

test('window-operator: PurgingTrigger(EventTimeTrigger) with allowed lateness emits only what came since the last firing', async (t) => {
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.aggregate, {
    trigger: PurgingTrigger.of(TumblingEventTimeWindows.of(10).defaultTrigger()),
    allowedLatenessMs: 100,
  });
  h.element(rec('a', 1), 1);
  h.element(rec('a', 2), 2);
  h.watermark(20);
  h.element(rec('a', 3), 3);
  t.deepEqual(summaries(h.out.drain()), [
    { key: 'a', start: 0, end: 10, sum: 2, count: 2 },
    { key: 'a', start: 0, end: 10, sum: 1, count: 1 },
  ]);
});

test('window-operator: CountTrigger state is merged when sessions merge', async (t) => {
  const h = await windowHarness(t, EventTimeSessionWindows.withGap(10), SUMMARY_FUNCTIONS.process, { trigger: CountTrigger.of(3) });
  h.element(rec('a', 0), 0); // [0, 10): count 1
  h.element(rec('a', 30), 30); // [30, 40): count 1
  t.deepEqual(h.out.drain(), []);
  h.element(rec('a', 15), 15); // [15, 25): bridges nothing
  h.element(rec('a', 8), 8); // [8, 18) joins [0, 10) and [15, 25): counts 1 + 1 + this one = 3
  t.deepEqual(summaries(h.out.drain()), [{ key: 'a', start: 0, end: 25, sum: 3, count: 3 }]);
});

test('window-operator: a user trigger sees timers and its own state scoped to the window', async (t) => {
  // Fires at the window's end and also early once the sum of a window reaches 10.
  const sumSpec = { kind: 'reducing' as const, name: 'sum', reduce: (a: unknown, b: unknown) => (a as number) + (b as number) };
  const early: WindowTrigger = {
    onElement(e, _ts, w, ctx) {
      const sum = ctx.getReducingState<number>(sumSpec);
      sum.add((e as { v: number }).v);
      ctx.registerEventTimeTimer(w.maxTimestamp());
      if ((sum.get() ?? 0) >= 10) {
        sum.clear();
        return 'FIRE';
      }
      return 'CONTINUE';
    },
    onEventTime: (time, w) => (time === w.maxTimestamp() ? 'FIRE' : 'CONTINUE'),
    onProcessingTime: () => 'CONTINUE',
    canMerge: () => false,
    onMerge: () => undefined,
    clear(w, ctx) {
      ctx.getReducingState(sumSpec).clear();
      ctx.deleteEventTimeTimer(w.maxTimestamp());
    },
    describe: () => 'Early',
  };
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.reduce, { trigger: early });
  h.element(rec('a', 1, 6), 1);
  h.element(rec('a', 11, 6), 11);
  h.element(rec('a', 2, 6), 2);
  t.deepEqual(summaries(h.out.drain()), [{ key: 'a', start: 0, end: 10, sum: 12, count: 2 }]);
  h.watermark(MAX_WATERMARK);
  t.deepEqual(sortSummaries(summaries(h.out.drain())), [
    { key: 'a', start: 0, end: 10, sum: 12, count: 2 },
    { key: 'a', start: 10, end: 20, sum: 6, count: 1 },
  ]);
  const state = h.backend.getReducingState('window-1', { ...sumSpec, name: 'trigger-sum' });
  h.backend.setCurrentKey('a');
  for (const ns of ['0:10', '10:20']) {
    state.setNamespace(ns);
    t.is(state.get(), undefined, `trigger state of ${ns} was cleared`);
  }
});

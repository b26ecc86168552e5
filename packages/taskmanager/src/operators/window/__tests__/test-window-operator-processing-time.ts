import test from 'ava';
import { ProcessingTimeSessionWindows, SlidingProcessingTimeWindows, TumblingProcessingTimeWindows } from '@eddy/sdk';
import { rec, sortSummaries, SUMMARY_FUNCTIONS, windowHarness, type Summary } from './window-harness.js';

const summaries = (rows: { value: unknown }[]): Summary[] => sortSummaries(rows.map((r) => r.value as Summary));

test('window-operator: tumbling processing-time windows use the injected clock, not record timestamps, and fire when it passes their end', async (t) => {
  const h = await windowHarness(t, TumblingProcessingTimeWindows.of(10), SUMMARY_FUNCTIONS.aggregate);
  h.advanceTo(3);
  h.element(rec('a', 1_000)); // no timestamp needed
  h.advanceTo(7);
  h.element(rec('a', 0), 5_000); // the event timestamp is ignored
  h.element(rec('b', 0));
  h.advanceTo(8);
  t.deepEqual(h.out.drain(), []);
  h.advanceTo(9);
  t.deepEqual(summaries(h.out.drain()), [
    { key: 'a', start: 0, end: 10, sum: 2, count: 2 },
    { key: 'b', start: 0, end: 10, sum: 1, count: 1 },
  ]);
  h.advanceTo(15);
  h.element(rec('a', 0));
  h.watermark(1_000_000); // watermarks do not fire processing-time windows
  t.deepEqual(h.out.drain(), []);
  h.advanceTo(25);
  t.deepEqual(h.out.drain(), [{ value: { key: 'a', start: 10, end: 20, sum: 1, count: 1 }, timestamp: 19 }]);
  t.is(h.timers.nextProcessingTime(), undefined, 'no timer is left behind');
});

test('window-operator: sliding processing-time windows give each record to every window that holds the clock time', async (t) => {
  const h = await windowHarness(t, SlidingProcessingTimeWindows.of(20, 10), SUMMARY_FUNCTIONS.process);
  h.advanceTo(5);
  h.element(rec('a', 0));
  h.advanceTo(15);
  h.element(rec('a', 0));
  h.advanceTo(40);
  t.deepEqual(summaries(h.out.drain()), [
    { key: 'a', start: -10, end: 10, sum: 1, count: 1 },
    { key: 'a', start: 0, end: 20, sum: 2, count: 2 },
    { key: 'a', start: 10, end: 30, sum: 1, count: 1 },
  ]);
});

test('window-operator: processing-time sessions merge while records keep coming and fire after the gap', async (t) => {
  const h = await windowHarness(t, ProcessingTimeSessionWindows.withGap(10), SUMMARY_FUNCTIONS.reduce);
  h.advanceTo(0);
  h.element(rec('a', 0));
  h.advanceTo(8);
  h.element(rec('a', 0)); // [8, 18) merges with [0, 10)
  h.advanceTo(16);
  h.element(rec('a', 0)); // [0, 26)
  h.advanceTo(24);
  t.deepEqual(h.out.drain(), []);
  h.advanceTo(25);
  t.deepEqual(summaries(h.out.drain()), [{ key: 'a', start: 0, end: 26, sum: 3, count: 3 }]);
  h.advanceTo(30);
  h.element(rec('a', 0));
  h.advanceTo(100);
  t.deepEqual(summaries(h.out.drain()), [{ key: 'a', start: 30, end: 40, sum: 1, count: 1 }]);
  t.is(h.timers.nextProcessingTime(), undefined);
});

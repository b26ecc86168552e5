import test from 'ava';
import { MAX_WATERMARK } from '@eddy/common';
import { EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@eddy/sdk';
import { rec, SUMMARY_FUNCTIONS, windowHarness, type Summary } from './window-harness.js';

const values = (rows: { value: unknown }[]): Summary[] => rows.map((r) => r.value as Summary);

test('window-operator: a record too late for its window goes to the late-data side output with its timestamp', async (t) => {
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.aggregate, { lateDataTag: 'late' });
  h.element(rec('a', 5), 5);
  h.watermark(10);
  t.deepEqual(values(h.out.drain()), [{ key: 'a', start: 0, end: 10, sum: 1, count: 1 }]);
  h.element(rec('a', 9, 7), 9);
  h.element(rec('b', 12), 12);
  t.deepEqual(h.out.side, [{ tag: 'late', value: rec('a', 9, 7), timestamp: 9 }]);
  t.is(h.op.lateRecordsToSideOutput, 1);
  t.is(h.op.lateRecordsDropped, 0);
  h.watermark(MAX_WATERMARK);
  t.deepEqual(values(h.out.drain()), [{ key: 'b', start: 10, end: 20, sum: 1, count: 1 }], 'the late record changed no window');
});

test('window-operator: without a late-data output, late records are counted in lateRecordsDropped', async (t) => {
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.reduce);
  h.watermark(100);
  h.element(rec('a', 50), 50);
  h.element(rec('a', 99), 99);
  h.element(rec('a', 100), 100); // window [100, 110) is not late
  t.is(h.op.lateRecordsDropped, 2);
  t.deepEqual(h.out.side, []);
  h.watermark(MAX_WATERMARK);
  t.deepEqual(values(h.out.drain()), [{ key: 'a', start: 100, end: 110, sum: 1, count: 1 }]);
});

test('window-operator: within the allowed lateness a late record is added and re-fires the window; after it, the record is late', async (t) => {
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.process, { allowedLatenessMs: 5, lateDataTag: 'late' });
  h.element(rec('a', 1), 1);
  h.element(rec('a', 2), 2);
  h.watermark(10);
  t.deepEqual(values(h.out.drain()), [{ key: 'a', start: 0, end: 10, sum: 2, count: 2 }]);
  h.element(rec('a', 3), 3);
  t.deepEqual(h.out.drain(), [{ value: { key: 'a', start: 0, end: 10, sum: 3, count: 3 }, timestamp: 9 }], 'fires again at once, with all contents');
  h.watermark(13);
  h.element(rec('a', 4), 4);
  t.deepEqual(values(h.out.drain()), [{ key: 'a', start: 0, end: 10, sum: 4, count: 4 }]);
  h.watermark(14); // 9 + 5: cleanup
  t.deepEqual(h.out.drain(), [], 'cleanup does not fire again');
  h.element(rec('a', 5), 5);
  t.deepEqual(h.out.drain(), []);
  t.deepEqual(h.out.side.map((s) => s.value), [rec('a', 5)]);
  t.is(h.timers.pendingEventTimers, 0, 'no timer is left behind');
});

test('window-operator: a sliding-window record goes to the side output only when every one of its windows is late', async (t) => {
  const h = await windowHarness(t, SlidingEventTimeWindows.of(20, 10), SUMMARY_FUNCTIONS.aggregate, { lateDataTag: 'late' });
  h.watermark(19); // [0, 20) is over; [10, 30) is open
  h.element(rec('a', 15), 15);
  h.element(rec('a', 5), 5); // windows [-10, 10) and [0, 20): both over
  t.deepEqual(h.out.side.map((s) => s.value), [rec('a', 5)]);
  h.watermark(MAX_WATERMARK);
  t.deepEqual(values(h.out.drain()), [{ key: 'a', start: 10, end: 30, sum: 1, count: 1 }]);
});

test('window-operator: a late record within the allowed lateness bridges a fired session and an open one', async (t) => {
  const h = await windowHarness(t, EventTimeSessionWindows.withGap(10), SUMMARY_FUNCTIONS.aggregate, { allowedLatenessMs: 20 });
  h.element(rec('a', 0), 0); // [0, 10)
  h.element(rec('a', 15), 15); // [15, 25)
  h.watermark(12);
  t.deepEqual(values(h.out.drain()), [{ key: 'a', start: 0, end: 10, sum: 1, count: 1 }]);
  h.element(rec('a', 7), 7); // [7, 17) joins both into [0, 25)
  t.deepEqual(h.out.drain(), [], 'the merged session ends after the watermark: it waits');
  h.watermark(24);
  t.deepEqual(h.out.drain(), [{ value: { key: 'a', start: 0, end: 25, sum: 3, count: 3 }, timestamp: 24 }]);
  h.watermark(44);
  t.is(h.timers.pendingEventTimers, 0, 'the merged windows\' cleanup timers were deleted and the session\'s fired');
  t.is(h.op.lateRecordsDropped, 0);
});

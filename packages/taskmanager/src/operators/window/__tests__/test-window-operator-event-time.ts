import test from 'ava';
import { MAX_WATERMARK, type WindowAssigner } from '@eddy/common';
import { WindowOperator } from '../window-operator.js';
import { EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@eddy/sdk';
import {
  alignedReference,
  outOfOrder,
  randomRecords,
  sessionReference,
  slidingWindowsOf,
  sortSummaries,
  SUMMARY_FUNCTIONS,
  tumblingWindowsOf,
  windowHarness,
  type Rec,
  type Summary,
} from './window-harness.js';

const FUNCTIONS = ['reduce', 'aggregate', 'process'] as const;

/** Runs shuffled input with watermarks through a window operator; returns the results and checks their timestamps. */
async function run(t: import('ava').ExecutionContext, assigner: WindowAssigner, fn: (typeof FUNCTIONS)[number], records: Rec[], seed: number, backend: 'heap' | 'leveldb' = 'heap'): Promise<Summary[]> {
  const h = await windowHarness(t, assigner, SUMMARY_FUNCTIONS[fn], { backend });
  for (const step of outOfOrder(records, 50, seed)) {
    if (step.rec) h.element(step.rec, step.rec.ts);
    else h.watermark(step.wm!);
  }
  h.watermark(MAX_WATERMARK);
  t.is(h.op.lateRecordsDropped, 0);
  t.deepEqual(h.out.watermarks.at(-1), MAX_WATERMARK);
  const rows = h.out.drain();
  for (const r of rows) t.is(r.timestamp, (r.value as Summary).end - 1, 'a window result carries window.maxTimestamp()');
  return sortSummaries(rows.map((r) => r.value as Summary));
}

for (const fn of FUNCTIONS) {
  test(`window-operator: tumbling event-time windows over shuffled input match the reference (${fn})`, async (t) => {
    const records = randomRecords(600, 5, 2_000, 1);
    t.deepEqual(await run(t, TumblingEventTimeWindows.of(100), fn, records, 11), alignedReference(records, tumblingWindowsOf(100)));
  });

  test(`window-operator: sliding event-time windows over shuffled input match the reference (${fn})`, async (t) => {
    const records = randomRecords(600, 5, 2_000, 2);
    t.deepEqual(await run(t, SlidingEventTimeWindows.of(100, 30), fn, records, 12), alignedReference(records, slidingWindowsOf(100, 30)));
  });

  test(`window-operator: session windows over shuffled input merge into the reference sessions (${fn})`, async (t) => {
    // Even timestamps and an odd gap: a record never lands exactly on a session's end, so sessions do
    // not depend on when watermarks arrive.
    const records = randomRecords(400, 4, 3_000, 3).map((r) => ({ ...r, ts: r.ts * 2 }));
    const result = await run(t, EventTimeSessionWindows.withGap(41), fn, records, 13);
    t.deepEqual(result, sessionReference(records, 41));
    t.true(result.some((s) => s.count > 3), 'sessions did merge');
  });
}

test('window-operator: the LevelDB backend gives the same session results as the reference', async (t) => {
  const records = randomRecords(300, 3, 2_000, 4).map((r) => ({ ...r, ts: r.ts * 2 }));
  for (const fn of FUNCTIONS) {
    t.deepEqual(await run(t, EventTimeSessionWindows.withGap(41), fn, records, 14, 'leveldb'), sessionReference(records, 41), fn);
  }
});

test('window-operator: windows fire when the watermark passes their end, not before, and state is cleaned up', async (t) => {
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.process);
  h.element({ key: 'a', ts: 3, v: 1, n: 1 }, 3);
  h.element({ key: 'a', ts: 12, v: 2, n: 1 }, 12);
  h.watermark(8);
  t.deepEqual(h.out.drain(), []);
  h.watermark(9);
  t.deepEqual(h.out.drain(), [{ value: { key: 'a', start: 0, end: 10, sum: 1, count: 1 }, timestamp: 9 }]);
  t.deepEqual(h.out.watermarks, [8, 9], 'watermarks are forwarded after the windows they close');
  t.is(h.timers.pendingEventTimers, 1, 'only the open window [10, 20) still has a timer');
  h.watermark(MAX_WATERMARK);
  t.deepEqual(h.out.drain(), [{ value: { key: 'a', start: 10, end: 20, sum: 2, count: 1 }, timestamp: 19 }]);
  t.is(h.timers.pendingEventTimers, 0);
});

test('window-operator: a record without a timestamp under an event-time assigner fails with a hint to use a WatermarkStrategy', async (t) => {
  const h = await windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.reduce);
  const e = t.throws(() => h.element({ key: 'a', ts: 1, v: 1, n: 1 }));
  t.regex(e!.message, /without a timestamp.*WatermarkStrategy/s);
});

test('window-operator: open() without a keyed state backend fails clearly', (t) => {
  const op = new WindowOperator('w', 'Window', { collect() {}, collectSide() {}, emitWatermark() {} }, {
    assigner: TumblingEventTimeWindows.of(10),
    trigger: TumblingEventTimeWindows.of(10).defaultTrigger(),
    allowedLatenessMs: 0,
    function: SUMMARY_FUNCTIONS.reduce,
  }, (v) => v);
  const e = t.throws(() => op.open({ runtime: {} as never, stateBackend: undefined, createTimerService: () => { throw new Error('no'); }, now: () => 0 }));
  t.regex(e!.message, /keyBy\(\) before window\(\)/);
});

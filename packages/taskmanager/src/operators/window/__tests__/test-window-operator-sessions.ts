import test from 'ava';
import { MAX_WATERMARK, type WindowTrigger } from '@eddy/common';
import { EventTimeSessionWindows, TumblingEventTimeWindows } from '@eddy/sdk';
import { MergingWindowSet, mergeTimeWindows } from '../merging-window-set.js';
import { rec, sortSummaries, SUMMARY_FUNCTIONS, windowHarness, type Summary } from './window-harness.js';

const summaries = (rows: { value: unknown }[]): Summary[] => sortSummaries(rows.map((r) => r.value as Summary));

for (const fn of ['reduce', 'aggregate', 'process'] as const) {
  test(`window-operator: out-of-order records grow, bridge and keep apart sessions per key (${fn})`, async (t) => {
    const h = await windowHarness(t, EventTimeSessionWindows.withGap(10), SUMMARY_FUNCTIONS[fn]);
    h.element(rec('a', 30), 30); // [30, 40)
    h.element(rec('a', 0), 0); // [0, 10)
    h.element(rec('b', 5), 5); // another key: never merges with a
    h.element(rec('a', 20), 20); // [20, 30) touches [30, 40): [20, 40)
    h.element(rec('a', 15), 15); // [15, 25) overlaps: [15, 40)
    h.element(rec('a', 60), 60); // a separate session [60, 70)
    h.watermark(9);
    t.deepEqual(summaries(h.out.drain()), [{ key: 'a', start: 0, end: 10, sum: 1, count: 1 }], 'a session ends when the watermark passes its end');
    h.element(rec('a', 10), 10); // after [0, 10) fired and was cleaned up: [10, 20) joins [15, 40)
    h.watermark(MAX_WATERMARK);
    t.deepEqual(summaries(h.out.drain()), [
      { key: 'a', start: 10, end: 40, sum: 4, count: 4 },
      { key: 'a', start: 60, end: 70, sum: 1, count: 1 },
      { key: 'b', start: 5, end: 15, sum: 1, count: 1 },
    ]);
    t.is(h.timers.pendingEventTimers, 0);
  });
}

test('window-operator: one record bridging two open sessions merges them and their contents into one', async (t) => {
  const h = await windowHarness(t, EventTimeSessionWindows.withGap(10), SUMMARY_FUNCTIONS.process);
  h.element(rec('a', 0, 1), 0);
  h.element(rec('a', 3, 2), 3); // [0, 13)
  h.element(rec('a', 25, 4), 25); // [25, 35)
  h.element(rec('a', 14, 8), 14); // [14, 24) touches nothing yet: 14 > 13, 24 < 25
  h.element(rec('a', 12, 16), 12); // [12, 22) bridges [0, 13) and [14, 24): [0, 24)
  h.element(rec('a', 24, 32), 24); // [24, 34) bridges [0, 24) and [25, 35): [0, 35)
  h.watermark(MAX_WATERMARK);
  t.deepEqual(summaries(h.out.drain()), [{ key: 'a', start: 0, end: 35, sum: 63, count: 6 }]);
});

test('window-operator: the merging window set is kept in state and emptied when sessions are cleaned up', async (t) => {
  const assigner = EventTimeSessionWindows.withGap(10);
  const h = await windowHarness(t, assigner, SUMMARY_FUNCTIONS.aggregate);
  h.element(rec('a', 0), 0);
  h.element(rec('a', 50), 50);
  const state = h.backend.getValueState<number[]>('window-1', { kind: 'value', name: 'merging-windows' });
  h.backend.setCurrentKey('a');
  t.is(MergingWindowSet.load(assigner, state).size, 2);
  h.watermark(20);
  h.backend.setCurrentKey('a');
  t.deepEqual(MergingWindowSet.load(assigner, state).windows().map((w) => [w.start, w.end]), [[50, 60]]);
  h.watermark(MAX_WATERMARK);
  h.backend.setCurrentKey('a');
  state.setNamespace('');
  t.is(state.value(), undefined);
});

test('merging-window-set: merges windows that overlap or touch, and keeps the first state window', (t) => {
  const assigner = EventTimeSessionWindows.withGap(10);
  const w = (s: number, e: number) => assigner.window(s, e);
  t.deepEqual(
    mergeTimeWindows(assigner, [w(20, 30), w(0, 10), w(10, 15), w(40, 50), w(15, 20)]).map((g) => [g.cover.start, g.cover.end, g.members.length]),
    [[0, 30, 4]],
  );
  const stored: number[][] = [];
  const store = { value: () => stored.at(-1), update: (v: number[]) => void stored.push(v), clear: () => void stored.push([]), setNamespace() {}, getNamespace: () => '' };
  const set = MergingWindowSet.load(assigner, store as never);
  const merges: string[] = [];
  const merge = (r: { start: number; end: number }, m: readonly { start: number }[], s: { start: number }, ms: readonly { start: number }[]) =>
    merges.push(`${r.start}-${r.end} from ${m.map((x) => x.start)} state ${s.start} <- ${ms.map((x) => x.start)}`);
  t.deepEqual(set.addWindow(w(0, 10), merge), w(0, 10));
  t.deepEqual(set.addWindow(w(20, 30), merge), w(20, 30));
  t.deepEqual(set.addWindow(w(2, 8), merge), w(0, 10), 'a window inside another joins it without a merge');
  t.deepEqual(merges, []);
  t.deepEqual(set.addWindow(w(8, 22), merge), w(0, 30));
  t.deepEqual(merges, ['0-30 from 0,20 state 0 <- 20']);
  t.deepEqual(set.getStateWindow(w(0, 30)), w(0, 10), 'contents stay where the first session stored them');
  set.persist();
  t.deepEqual(stored.at(-1), [0, 30, 0, 10]);
});

test('window-operator: a trigger that cannot merge is refused for session windows', async (t) => {
  const nonMerging: WindowTrigger = {
    onElement: () => 'FIRE',
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'CONTINUE',
    canMerge: () => false,
    onMerge: () => undefined,
    clear: () => undefined,
    describe: () => 'NoMerge',
  };
  await t.throwsAsync(windowHarness(t, EventTimeSessionWindows.withGap(10), SUMMARY_FUNCTIONS.reduce, { trigger: nonMerging }), { message: /cannot merge/ });
  await t.notThrowsAsync(windowHarness(t, TumblingEventTimeWindows.of(10), SUMMARY_FUNCTIONS.reduce, { trigger: nonMerging }));
});

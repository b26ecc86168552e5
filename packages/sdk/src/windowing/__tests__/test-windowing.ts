import test from 'ava';
import type { OperatorSpec, WindowOperatorSpec } from '@eddy/common';
import {
  CountTrigger,
  defineJob,
  DiscardingSink,
  EventTimeSessionWindows,
  EventTimeTrigger,
  OutputTag,
  ProcessingTimeSessionWindows,
  ProcessingTimeTrigger,
  PurgingTrigger,
  SlidingEventTimeWindows,
  TimeWindow,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '../../index.js';

const bounds = (ws: readonly TimeWindow[]): [number, number][] => ws.map((w) => [w.start, w.end]);

test('windowing: tumbling windows are aligned to the epoch plus the offset, also for negative timestamps', (t) => {
  t.deepEqual(bounds(TumblingEventTimeWindows.of(10).assignWindows(null, 25)), [[20, 30]]);
  t.deepEqual(bounds(TumblingEventTimeWindows.of(10).assignWindows(null, -3)), [[-10, 0]]);
  t.deepEqual(bounds(TumblingEventTimeWindows.of(10, 3).assignWindows(null, 25)), [[23, 33]]);
  t.deepEqual(bounds(TumblingEventTimeWindows.of(10, 3).assignWindows(null, 2)), [[-7, 3]]);
  t.is(new TimeWindow(20, 30).maxTimestamp(), 29);
  t.throws(() => TumblingEventTimeWindows.of(0), { message: /positive/ });
  t.throws(() => TumblingEventTimeWindows.of(10, 10), { message: /offset/ });
});

test('windowing: sliding windows give a record to size/slide windows, latest first', (t) => {
  t.deepEqual(bounds(SlidingEventTimeWindows.of(30, 10).assignWindows(null, 25)), [[20, 50], [10, 40], [0, 30]]);
  t.deepEqual(bounds(SlidingEventTimeWindows.of(25, 10).assignWindows(null, 20)), [[20, 45], [10, 35], [0, 25]]);
  t.deepEqual(bounds(SlidingEventTimeWindows.of(25, 10).assignWindows(null, 25)), [[20, 45], [10, 35]]);
  t.deepEqual(bounds(SlidingEventTimeWindows.of(10, 20).assignWindows(null, 15)), [], 'a gap between windows holds no record');
});

test('windowing: session assigners make [t, t + gap) windows that merge; processing-time ones use the clock', (t) => {
  const s = EventTimeSessionWindows.withGap(5);
  t.true(s.merging);
  t.deepEqual(bounds(s.assignWindows(null, 7)), [[7, 12]]);
  t.is(ProcessingTimeSessionWindows.withGap(5).timeDomain, 'processing-time');
  t.true(s.defaultTrigger() instanceof EventTimeTrigger);
  t.true(TumblingProcessingTimeWindows.of(5).defaultTrigger() instanceof ProcessingTimeTrigger);
});

test('windowing: PurgingTrigger turns FIRE into FIRE_AND_PURGE', (t) => {
  const state = new Map<string, number>();
  const ctx = {
    getReducingState: () => ({
      add: (v: number) => state.set('c', (state.get('c') ?? 0) + v),
      get: () => state.get('c'),
      clear: () => state.delete('c'),
    }),
  } as never;
  const p = PurgingTrigger.of(CountTrigger.of(2));
  const w = new TimeWindow(0, 10);
  t.is(p.onElement(1, 0, w, ctx), 'CONTINUE');
  t.is(p.onElement(1, 0, w, ctx), 'FIRE_AND_PURGE');
  t.is(p.describe(), 'PurgingTrigger(CountTrigger(2))');
  t.throws(() => CountTrigger.of(0));
});

type Env = Parameters<Parameters<typeof defineJob>[0]>[0];
interface Reading {
  k: string;
  v: number;
}

/** Builds a job with `build` and returns its window operator's spec, name and input edge. */
function windowNodeOf(build: (env: Env) => void) {
  const plan = defineJob((env) => build(env)).plan([], { defaultParallelism: 2 });
  const node = plan.nodes.find((n) => n.spec.kind === 'window')!;
  const edge = plan.edges.find((e) => e.target === node.id)!;
  return { spec: (node.spec as Extract<OperatorSpec, { kind: 'window' }>).window, name: node.name, edge };
}

test('windowing: window() on a keyed stream adds one window operator on a hash edge with the spec the runtime runs', (t) => {
  const late = new OutputTag<Reading>('late-readings');
  const { spec, name, edge } = windowNodeOf((env) => {
    const result = env
      .fromElements<Reading>({ k: 'a', v: 1 })
      .keyBy((r) => r.k)
      .window(TumblingEventTimeWindows.of(1_000))
      .allowedLateness(500)
      .sideOutputLateData(late)
      .reduce((a, b) => ({ k: a.k, v: a.v + b.v }), (key, c, [r], out: { collect(s: string): void }) => out.collect(`${key}@${c.window.start}=${r!.v}`));
    result.getSideOutput(late).sinkTo(new DiscardingSink());
    result.sinkTo(new DiscardingSink<string>());
  });
  t.is(edge.partitioner, 'hash');
  t.is(edge.keySelector?.({ k: 'z', v: 0 }), 'z');
  t.is(name, 'Window(TumblingEventTimeWindows(1000), EventTimeTrigger, Reduce)');
  t.is(spec.allowedLatenessMs, 500);
  t.is(spec.lateDataTag, 'late-readings');
  t.is(spec.function.kind, 'reduce');
  t.is(typeof spec.function.process?.process, 'function');
  t.true(spec.trigger instanceof EventTimeTrigger);
});

test('windowing: aggregate and process build their window functions; a custom trigger replaces the default', (t) => {
  const agg = windowNodeOf((env) => {
    env
      .fromElements<Reading>({ k: 'a', v: 1 })
      .keyBy('k')
      .window(EventTimeSessionWindows.withGap(100))
      .trigger(CountTrigger.of(5))
      .aggregate({ createAccumulator: () => 0, add: (r, acc) => acc + r.v, getResult: (acc) => acc, merge: (a, b) => a + b })
      .sinkTo(new DiscardingSink<number>());
  });
  t.is(agg.spec.function.kind, 'aggregate');
  t.is(agg.spec.function.process, undefined);
  t.is(agg.spec.lateDataTag, undefined);
  t.is(agg.spec.trigger.describe(), 'CountTrigger(5)');
  const proc = windowNodeOf((env) => {
    env
      .fromElements<Reading>({ k: 'a', v: 1 })
      .keyBy('k')
      .window(TumblingProcessingTimeWindows.of(100))
      .process((key, c, elements, out: { collect(s: string): void }) => out.collect(`${key} ${c.window.end} ${elements.length}`))
      .sinkTo(new DiscardingSink<string>());
  });
  t.is(proc.spec.function.kind, 'process');
  t.true(proc.spec.trigger instanceof ProcessingTimeTrigger);
});

test('windowing: invalid window settings are rejected where they are written', (t) => {
  const keyed = (env: Env) => env.fromElements<Reading>({ k: 'a', v: 1 }).keyBy('k');
  t.throws(() => windowNodeOf((env) => void keyed(env).window(TumblingProcessingTimeWindows.of(10)).allowedLateness(5)), {
    message: /event-time windows only/,
  });
  t.throws(() => windowNodeOf((env) => void keyed(env).window(TumblingEventTimeWindows.of(10)).allowedLateness(-1)), { message: /non-negative/ });
  t.throws(
    () => windowNodeOf((env) => void keyed(env).window(EventTimeSessionWindows.withGap(10)).aggregate({ createAccumulator: () => 0, add: (r, a) => a + r.v, getResult: (a) => a })),
    { message: /needs merge/ },
  );
  const noMerge = { ...CountTrigger.of(1), canMerge: () => false, describe: () => 'NoMerge', onElement: () => 'FIRE' as const } as never;
  t.throws(() => windowNodeOf((env) => void keyed(env).window(EventTimeSessionWindows.withGap(10)).trigger(noMerge)), { message: /cannot merge/ });
});

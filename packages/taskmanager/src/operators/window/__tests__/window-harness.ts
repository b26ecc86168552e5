/**
 * Drives a window operator directly (sliced windows where they apply, unless `slicing: false`): a real keyed state backend (heap, or LevelDB in a temp dir), the
 * HeapTimerService with a manual clock, and an Output that records what the operator emits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { AggregateFunction, WindowAssigner, WindowFunctionSpec, WindowOperatorSpec, WindowTrigger } from '@eddy/common';
import { createKeyedStateBackend } from '../../../state/state-backend-factory.js';
import type { KeyedStateBackend } from '../../../state/keyed-state-backend.js';
import { HeapTimerService } from '../../../time/heap-timer-service.js';
import type { OperatorContext, Output } from '../../stream-operator.js';
import { createWindowOperator, WindowOperator } from '../window-operator.js';
import type { SlicedWindowOperator } from '../sliced-window-operator.js';

export interface Emitted {
  readonly value: unknown;
  readonly timestamp: number;
}

export class RecordingOutput implements Output {
  readonly records: Emitted[] = [];
  readonly side: (Emitted & { tag: string })[] = [];
  readonly watermarks: number[] = [];
  collect(value: unknown, timestamp: number): void {
    this.records.push({ value, timestamp });
  }
  collectSide(tag: string, value: unknown, timestamp: number): void {
    this.side.push({ tag, value, timestamp });
  }
  emitWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }
  /** Takes what was emitted so far. */
  drain(): Emitted[] {
    return this.records.splice(0);
  }
}

export interface Harness {
  readonly op: WindowOperator | SlicedWindowOperator;
  readonly out: RecordingOutput;
  readonly backend: KeyedStateBackend;
  readonly timers: HeapTimerService;
  /** The processing-time clock. */
  readonly clock: { time: number };
  element(value: unknown, timestamp?: number): void;
  watermark(wm: number): void;
  /** Moves the clock and fires due processing-time timers. */
  advanceTo(time: number): void;
}

export interface HarnessOptions {
  readonly backend?: 'heap' | 'leveldb';
  readonly trigger?: WindowTrigger;
  readonly allowedLatenessMs?: number;
  readonly lateDataTag?: string;
  readonly keySelector?: (v: unknown) => unknown;
  /** false: always the WindowOperator, never sliced windows. @default true */
  readonly slicing?: boolean;
}

export async function windowHarness(
  t: ExecutionContext,
  assigner: WindowAssigner,
  fn: WindowFunctionSpec,
  options: HarnessOptions = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-window-'));
  const backend = await createKeyedStateBackend({ kind: options.backend ?? 'heap', dir, maxParallelism: 128, keyGroupRange: { start: 0, end: 127 } });
  t.teardown(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const spec: WindowOperatorSpec = {
    assigner,
    trigger: options.trigger ?? assigner.defaultTrigger(),
    allowedLatenessMs: options.allowedLatenessMs ?? 0,
    ...(options.lateDataTag !== undefined ? { lateDataTag: options.lateDataTag } : {}),
    function: fn,
  };
  const out = new RecordingOutput();
  const clock = { time: 0 };
  let timers: HeapTimerService | undefined;
  const ctx: OperatorContext = {
    runtime: { subtaskIndex: 0, parallelism: 1, maxParallelism: 128, jobId: 'job', operatorId: 'window-1' } as never,
    stateBackend: backend,
    createTimerService: (_id, target) => (timers = new HeapTimerService(backend, target, () => clock.time)),
    now: () => clock.time,
  };
  const keySelector = options.keySelector ?? ((v: unknown) => (v as { key: unknown }).key);
  const op = options.slicing === false ? new WindowOperator('window-1', 'Window', out, spec, keySelector) : createWindowOperator('window-1', 'Window', out, spec, keySelector);
  op.open(ctx);
  const ts = timers!;
  return {
    op,
    out,
    backend,
    timers: ts,
    clock,
    element: (value, timestamp = NaN) => op.processElement(value, timestamp),
    watermark: (wm) => op.processWatermark(wm),
    advanceTo: (time) => {
      clock.time = time;
      ts.advanceProcessingTime(time);
    },
  };
}

/** An input record of the tests: `n` is 1, so a reduce over records counts them. */
export interface Rec {
  readonly key: string;
  readonly ts: number;
  readonly v: number;
  readonly n: number;
}

export const rec = (key: string, ts: number, v = 1): Rec => ({ key, ts, v, n: 1 });

/** A window result as every function kind of the tests reports it. */
export interface Summary {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly sum: number;
  readonly count: number;
}

interface Acc {
  sum: number;
  count: number;
}

function summary(key: unknown, window: { start: number; end: number }, sum: number, count: number): Summary {
  return { key: key as string, start: window.start, end: window.end, sum, count };
}

/** The same summary computed three ways: incremental reduce, incremental aggregate, and process over the list. */
export const SUMMARY_FUNCTIONS: Record<'reduce' | 'aggregate' | 'process', WindowFunctionSpec> = {
  reduce: {
    kind: 'reduce',
    reduce: (a, b) => {
      const x = a as Rec;
      const y = b as Rec;
      return { key: x.key, ts: Math.max(x.ts, y.ts), v: x.v + y.v, n: x.n + y.n };
    },
    process: { process: (key, ctx, [r], out) => out.collect(summary(key, ctx.window, (r as Rec).v, (r as Rec).n)) },
  },
  aggregate: {
    kind: 'aggregate',
    aggregate: {
      createAccumulator: (): Acc => ({ sum: 0, count: 0 }),
      add: (r, acc) => {
        const a = acc as Acc;
        a.sum += (r as Rec).v; // mutates and returns the accumulator, as Flink users often do
        a.count += 1;
        return a;
      },
      getResult: (acc) => ({ ...(acc as Acc) }),
      merge: (a, b) => ({ sum: (a as Acc).sum + (b as Acc).sum, count: (a as Acc).count + (b as Acc).count }),
    } satisfies AggregateFunction<unknown, unknown, unknown>,
    process: { process: (key, ctx, [r], out) => out.collect(summary(key, ctx.window, (r as Acc).sum, (r as Acc).count)) },
  },
  process: {
    kind: 'process',
    process: {
      process: (key, ctx, elements, out) =>
        out.collect(summary(key, ctx.window, (elements as Rec[]).reduce((s, r) => s + r.v, 0), elements.length)),
    },
  },
};

export function sortSummaries<T extends Summary>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.key.localeCompare(b.key) || a.start - b.start || a.end - b.end || a.sum - b.sum);
}

/** A small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reference: the windows each record belongs to, as [start, end) pairs (independent of the assigners). */
export type WindowsOf = (ts: number) => [number, number][];

export const tumblingWindowsOf = (size: number): WindowsOf => (ts) => {
  const start = Math.floor(ts / size) * size;
  return [[start, start + size]];
};

export const slidingWindowsOf = (size: number, slide: number): WindowsOf => (ts) => {
  const out: [number, number][] = [];
  for (let k = Math.floor((ts - size) / slide) - 1; k * slide <= ts + slide; k++) {
    const s = k * slide;
    if (s <= ts && ts < s + size) out.push([s, s + size]);
  }
  return out;
};

/** Reference for aligned windows: a summary per (key, window) of the records in it. */
export function alignedReference(records: readonly Rec[], windowsOf: WindowsOf): Summary[] {
  const m = new Map<string, Summary>();
  for (const r of records) {
    for (const [start, end] of windowsOf(r.ts)) {
      const id = `${r.key}|${start}`;
      const s = m.get(id) ?? { key: r.key, start, end, sum: 0, count: 0 };
      m.set(id, { ...s, sum: s.sum + r.v, count: s.count + 1 });
    }
  }
  return sortSummaries([...m.values()]);
}

/** Reference for session windows: per key, records in time order split where the gap to the session's end is exceeded. */
export function sessionReference(records: readonly Rec[], gap: number): Summary[] {
  const byKey = new Map<string, Rec[]>();
  for (const r of records) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const out: Summary[] = [];
  for (const [key, recs] of byKey) {
    recs.sort((a, b) => a.ts - b.ts);
    let cur: { start: number; end: number; sum: number; count: number } | undefined;
    for (const r of recs) {
      if (cur && r.ts <= cur.end) {
        cur = { start: cur.start, end: Math.max(cur.end, r.ts + gap), sum: cur.sum + r.v, count: cur.count + 1 };
      } else {
        if (cur) out.push({ key, ...cur });
        cur = { start: r.ts, end: r.ts + gap, sum: r.v, count: 1 };
      }
    }
    if (cur) out.push({ key, ...cur });
  }
  return sortSummaries(out);
}

/**
 * Out-of-order input with watermarks no record is late for: each record arrives up to `disorder` ms
 * after its timestamp, and after each arrival at A the watermark A - disorder is emitted.
 */
export function outOfOrder(records: readonly Rec[], disorder: number, seed: number): { rec?: Rec; wm?: number }[] {
  const rnd = random(seed);
  const arrivals = records.map((r) => ({ r, at: r.ts + Math.floor(rnd() * disorder) })).sort((a, b) => a.at - b.at);
  const steps: { rec?: Rec; wm?: number }[] = [];
  let wm = -Infinity;
  for (const { r, at } of arrivals) {
    steps.push({ rec: r });
    if (at - disorder > wm && rnd() < 0.3) {
      wm = at - disorder;
      steps.push({ wm });
    }
  }
  return steps;
}

/** Random records over `keys` keys in [0, span) ms. */
export function randomRecords(n: number, keys: number, span: number, seed: number): Rec[] {
  const rnd = random(seed);
  return Array.from({ length: n }, () => rec(`k${Math.floor(rnd() * keys)}`, Math.floor(rnd() * span), 1 + Math.floor(rnd() * 9)));
}

/**
 * Timer snapshots: event- and processing-time timers of several operators round-trip by key group
 * (two halves restore what the whole held, each only its own key groups), deleted and fired timers
 * stay out, timers added after the synchronous part never reach the snapshot, and damaged files fail
 * naming the file.
 */
import test, { type ExecutionContext } from 'ava';
import { writeFile, readFile } from 'node:fs/promises';
import { assignToKeyGroup, type KeyGroupRange } from '@eddy/common';
import { openBackend, tempDir } from '../../state/__tests__/backend-fixtures.js';
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js';
import { HeapTimerService } from '../heap-timer-service.js';
import type { TimerTarget } from '../internal-timer-service.js';
import { restoreTimers } from '../timer-restore.js';
import { snapshotTimers, type TimersStateHandle } from '../timer-snapshot.js';

const WHOLE: KeyGroupRange = { start: 0, end: 127 };
const HALVES: readonly KeyGroupRange[] = [{ start: 0, end: 63 }, { start: 64, end: 127 }];
const OPERATORS = ['window-1', 'process-2'] as const;

/** Records every firing as "operator|domain|key|namespace|timestamp". */
class Recorder {
  readonly fired: string[] = [];
  target(operator: string): TimerTarget {
    return {
      onEventTime: (key, ns, ts) => void this.fired.push(`${operator}|event|${JSON.stringify(key)}|${ns}|${ts}`),
      onProcessingTime: (key, ns, ts) => void this.fired.push(`${operator}|processing|${JSON.stringify(key)}|${ns}|${ts}`),
    };
  }
}

const backends = new WeakMap<HeapTimerService, KeyedStateBackend>();

async function services(t: ExecutionContext, range: KeyGroupRange, recorder: Recorder): Promise<Map<string, HeapTimerService>> {
  const backend = await openBackend(t, 'heap', { keyGroupRange: range });
  const out = new Map(OPERATORS.map((op) => [op, new HeapTimerService(backend, recorder.target(op), () => 0)]));
  for (const svc of out.values()) backends.set(svc, backend);
  return out;
}

const keys: unknown[] = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? i : `k-${i}-ü`));

/** Registers timers on every service; returns what must fire. */
function register(svcs: Map<string, HeapTimerService>): Set<string> {
  const expected = new Set<string>();
  for (const [op, svc] of svcs) {
    const backend = backends.get(svc)!;
    for (const [i, k] of keys.entries()) {
      backend.setCurrentKey(k);
      const ns = i % 3 === 0 ? '' : `w-${i % 5}-é`;
      svc.registerEventTimeTimer(ns, 1000 + (i % 7));
      svc.registerEventTimeTimer(ns, 1000 + (i % 7)); // a duplicate
      expected.add(`${op}|event|${JSON.stringify(k)}|${ns}|${1000 + (i % 7)}`);
      svc.registerProcessingTimeTimer(ns, 5000 + i);
      expected.add(`${op}|processing|${JSON.stringify(k)}|${ns}|${5000 + i}`);
      if (i % 10 === 0) {
        svc.registerEventTimeTimer(ns, 99); // deleted again: never restored
        svc.deleteEventTimeTimer(ns, 99);
      }
    }
  }
  return expected;
}

function fireAll(svcs: Map<string, HeapTimerService>): void {
  for (const svc of svcs.values()) {
    svc.advanceWatermark(Infinity);
    svc.advanceProcessingTime(Infinity);
  }
}

const inRange = (entry: string, range: KeyGroupRange): boolean => {
  const g = assignToKeyGroup(JSON.parse(entry.split('|')[2]!), 128);
  return g >= range.start && g <= range.end;
};

test('timer snapshot: timers of every domain and operator round-trip by key group; two halves restore the whole', async (t) => {
  const source = await services(t, WHOLE, new Recorder());
  const expected = register(source);
  const snapshot = snapshotTimers(1, tempDir(t), source, 128, WHOLE);
  // after the synchronous part: new timers, deletions and firings do not reach the snapshot
  backends.get(source.get(OPERATORS[0])!)!.setCurrentKey('late');
  source.get(OPERATORS[0])!.registerEventTimeTimer('', 1);
  fireAll(source);
  const h = await snapshot.write();
  t.is(h.kind, 'timers');

  const union: string[] = [];
  for (const half of HALVES) {
    const recorder = new Recorder();
    const restored = await services(t, half, recorder);
    await restoreTimers([h], restored, 128, half);
    fireAll(restored);
    t.true(recorder.fired.length > 100);
    t.true(recorder.fired.every((e) => inRange(e, half)), 'only the half\'s key groups');
    union.push(...recorder.fired);
  }
  t.is(union.length, expected.size, 'no timer twice, none lost');
  t.deepEqual(union.sort(), [...expected].sort());
});

test('timer snapshot: restored timers fire in timestamp order and announce the earliest processing time', async (t) => {
  const source = await services(t, WHOLE, new Recorder());
  register(source);
  const h = await snapshotTimers(1, tempDir(t), source, 128, WHOLE).write();
  const recorder = new Recorder();
  const restored = await services(t, WHOLE, recorder);
  const announced: number[] = [];
  restored.get(OPERATORS[1])!.onProcessingTimerChange = (ts) => void announced.push(ts);
  await restoreTimers([h], restored, 128, WHOLE);
  t.deepEqual(announced, [5000]);
  restored.get(OPERATORS[0])!.advanceWatermark(1003);
  const times = recorder.fired.map((e) => Number(e.split('|')[4]));
  t.true(times.length > 0 && times.every((ts) => ts <= 1003));
  t.deepEqual(times, [...times].sort((a, b) => a - b));
  t.is(restored.get(OPERATORS[0])!.currentWatermark(), 1003);
});

test('timer snapshot: timers of an operator without a service fail the restore, and a damaged file names itself', async (t) => {
  const source = await services(t, WHOLE, new Recorder());
  register(source);
  const h: TimersStateHandle = await snapshotTimers(1, tempDir(t), source, 128, WHOLE).write();
  const only = new Map([...(await services(t, WHOLE, new Recorder()))].slice(0, 1));
  const e1 = await t.throwsAsync(restoreTimers([h], only, 128, WHOLE));
  t.is(e1?.name, 'IncompatibleSnapshotError');
  t.regex(e1!.message, /process-2/);

  const bytes = await readFile(h.file);
  await writeFile(h.file, bytes.subarray(0, bytes.length - 5));
  const e2 = await t.throwsAsync(restoreTimers([h], await services(t, WHOLE, new Recorder()), 128, WHOLE));
  t.is(e2?.name, 'CorruptSnapshotError');
  t.true(e2!.message.includes(h.file));
});

import test from 'ava';
import type { WatermarkGenerator } from '@eddy/common';
import { StatusWatermarkValve } from '../../task/status-watermark-valve.js';
import { TimerQueue } from '../timer-queue.js';
import { keyIdOf } from '../heap-timer-service.js';
import { WatermarkTracker } from '../watermark-tracker.js';

test('watermark valve: the task watermark is the minimum over live channels and only moves forward', (t) => {
  const v = new StatusWatermarkValve(3);
  t.is(v.onWatermark(0, 10), undefined);
  t.is(v.onWatermark(1, 5), undefined);
  t.is(v.onWatermark(2, 7), 5);
  t.is(v.onWatermark(1, 20), 7);
  t.is(v.onWatermark(1, 3), undefined, 'never backwards');
  t.is(v.onEnd(2), 10, 'a finished channel no longer holds it back');
  t.is(v.watermark, 10);
});

test('watermark valve: idle channels are left out, and all idle makes the task idle', (t) => {
  const v = new StatusWatermarkValve(2);
  v.onWatermark(0, 100);
  t.is(v.onStatus(1, true), 100, 'the idle channel stops holding the watermark back');
  t.false(v.allIdle);
  v.onStatus(0, true);
  t.true(v.allIdle);
  t.is(v.onWatermark(1, 50), undefined, 'an active channel behind the watermark does not move it back');
  t.false(v.allIdle);
});

function bounded(delay: number): () => WatermarkGenerator<unknown> {
  return () => {
    let max = -Infinity;
    return {
      onEvent: (_e, ts) => void (max = Math.max(max, ts)),
      onPeriodicEmit: (o) => {
        if (max > -Infinity) o.emitWatermark(max - delay);
      },
    };
  };
}

test('watermark tracker: per-split watermarks combine as their minimum, and finished splits drop out', (t) => {
  const emitted: number[] = [];
  const tr = new WatermarkTracker({ createGenerator: bounded(0) }, { emitWatermark: (w) => emitted.push(w), markIdle: () => undefined }, () => 0);
  tr.startSplit('a');
  tr.onRecord('x', 100, 0);
  tr.startSplit('b');
  tr.onRecord('y', 40, 0);
  tr.onPeriodicEmit(0);
  t.deepEqual(emitted, [40]);
  tr.startSplit('a');
  tr.onRecord('x', 200, 0);
  tr.onPeriodicEmit(0);
  t.deepEqual(emitted, [40], 'b still holds it at 40');
  tr.finishSplit('b');
  tr.onPeriodicEmit(0);
  t.deepEqual(emitted, [40, 200]);
  tr.finishAll();
  t.deepEqual(emitted, [40, 200, Infinity]);
});

test('watermark tracker: a split without records for the idleness time stops holding back, and all idle marks the output idle', (t) => {
  const emitted: number[] = [];
  const idle: boolean[] = [];
  let now = 0;
  const tr = new WatermarkTracker(
    { createGenerator: bounded(0), idlenessMs: 1000, timestampAssigner: (e) => (e as { t: number }).t },
    { emitWatermark: (w) => emitted.push(w), markIdle: (i) => idle.push(i) },
    () => now,
  );
  tr.startSplit('a');
  t.is(tr.onRecord({ t: 500 }, NaN, now), 500, 'the assigner gives the timestamp');
  tr.startSplit('b');
  tr.onRecord({ t: 10 }, NaN, now);
  now = 600;
  tr.startSplit('a');
  tr.onRecord({ t: 900 }, NaN, now);
  now = 1200; // b silent for 1200 ms, a for 600 ms
  tr.onPeriodicEmit(now);
  t.deepEqual(emitted, [900]);
  now = 5000;
  tr.onPeriodicEmit(now);
  t.deepEqual(idle, [true]);
  tr.onRecord({ t: 1000 }, NaN, now);
  tr.onPeriodicEmit(now);
  t.deepEqual(idle, [true, false]);
  t.deepEqual(emitted, [900, 1000]);
});

test('timer queue: timers come out in timestamp order, deduplicated per key, namespace and time, and can be deleted', (t) => {
  const q = new TimerQueue();
  const add = (keyId: string, ts: number, ns = ''): boolean => q.add(keyId, keyId, 0, ns, ts);
  t.true(add('a', 30));
  t.true(add('b', 10));
  t.false(add('b', 10), 'same key and time');
  t.true(add('b', 10, 'w1'), 'another namespace');
  t.true(add('c', 20));
  q.delete('c', '', 20);
  const out: string[] = [];
  for (let x = q.poll(); x; x = q.poll()) out.push(`${x.keyId}@${x.timestamp}${x.namespace}`);
  t.deepEqual(out.slice(0, 2).sort(), ['b@10', 'b@10w1']);
  t.deepEqual(out.slice(2), ['a@30']);
  t.true(add('b', 10), 'a fired timer can be registered again');
});

test('timer queue: random adds, deletes and polls match a sorted, de-duplicated reference (with and without namespaces)', (t) => {
  let seed = 7;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const q = new TimerQueue();
  const ref = new Map<string, { keyId: string; namespace: string; timestamp: number }>();
  const id = (k: string, ns: string, ts: number): string => `${k}|${ns}|${ts}`;
  for (let step = 0; step < 20_000; step++) {
    const k = `k${rand(20)}`;
    const ns = rand(2) === 0 ? '' : `w${rand(3)}`;
    const ts = rand(50);
    const op = rand(10);
    if (op < 6) {
      t.is(q.add(k, k, 0, ns, ts), !ref.has(id(k, ns, ts)));
      ref.set(id(k, ns, ts), { keyId: k, namespace: ns, timestamp: ts });
    } else if (op < 8) {
      q.delete(k, ns, ts);
      ref.delete(id(k, ns, ts));
    } else {
      const top = q.poll();
      const min = Math.min(...[...ref.values()].map((x) => x.timestamp));
      if (ref.size === 0) t.is(top, undefined);
      else {
        t.is(top!.timestamp, min);
        t.true(ref.delete(id(String(top!.keyId), top!.namespace, top!.timestamp)));
      }
    }
    t.is(q.size, ref.size);
  }
});

test('timer queue: timers of one timestamp come out in the order they were first added; a timer deleted and added again fires once', (t) => {
  const q = new TimerQueue();
  for (const k of ['c', 'a', 'b']) q.add(k, k, 0, 'w', 10);
  q.add('z', 'z', 0, '', 5);
  q.delete('a', 'w', 10);
  q.add('a', 'a', 0, 'w', 10);
  q.delete('c', 'w', 10);
  t.is(q.size, 3);
  t.is(q.peekTime(), 5);
  t.deepEqual(q.all().map((x) => x.keyId).sort(), ['a', 'b', 'z']);
  const out: string[] = [];
  for (let x = q.poll(); x; x = q.poll()) out.push(`${x.keyId}@${x.timestamp}`);
  t.deepEqual(out, ['z@5', 'a@10', 'b@10'], 'a timer deleted and added again keeps its first place');
  t.is(q.size, 0);
  t.is(q.peekTime(), Infinity);
});

test('timer ids: number keys are their own ids, -0 and 0 stay apart, and no key id of one type equals another type\'s', (t) => {
  t.is(keyIdOf(42), 42);
  t.not(keyIdOf(-0), keyIdOf(0));
  t.not(keyIdOf('42'), keyIdOf(42));
  t.not(keyIdOf('n-0'), keyIdOf(-0));
  t.is(keyIdOf({ a: 1 }), 'j{"a":1}');
  const q = new TimerQueue();
  t.true(q.add(0, keyIdOf(0), 0, 'w', 1));
  t.true(q.add(-0, keyIdOf(-0), 0, 'w', 1));
  t.true(q.add('0', keyIdOf('0'), 0, 'w', 1));
  t.false(q.add(0, keyIdOf(0), 0, 'w', 1));
  t.is(q.size, 3);
});

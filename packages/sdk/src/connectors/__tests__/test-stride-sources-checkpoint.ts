import test from 'ava';
import { CollectionSource, GeneratorSource, NexmarkSource, type StrideSplit } from '../../index.js';
import type { Source } from '@eddy/common';
import { recordsBySubtask, runUninterrupted, runWithRestores } from './source-harness.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

/** Uninterrupted vs. restored runs of `make()`, subtask by subtask, record by record, over every seed. */
async function restoresExactly(make: (seed: number) => Source<unknown, unknown>, parallelismOf: (seed: number) => number, extra: { limitPerSubtask?: number; withTimestamps?: boolean } = {}): Promise<{ equal: boolean; crashes: number; checkpoints: number; firstDiff?: number }> {
  let crashes = 0;
  let checkpoints = 0;
  for (const seed of SEEDS) {
    const parallelism = parallelismOf(seed);
    const run = { parallelism, ...(extra.limitPerSubtask === undefined ? {} : { limitPerSubtask: extra.limitPerSubtask }) };
    const expected = recordsBySubtask(await runUninterrupted(make(seed), run), parallelism, extra.withTimestamps);
    const restored = await runWithRestores(make(seed), { ...run, seed, checkpointChance: 0.08, crashChance: 0.04 });
    crashes += restored.crashes;
    checkpoints += restored.checkpoints;
    if (JSON.stringify(recordsBySubtask(restored.emitted, parallelism, extra.withTimestamps)) !== JSON.stringify(expected)) {
      return { equal: false, crashes, checkpoints, firstDiff: seed };
    }
  }
  return { equal: true, crashes, checkpoints };
}

test('generator source: restored readers go on exactly after their snapshot (bounded, 12 seeds)', async (t) => {
  const r = await restoresExactly((seed) => new GeneratorSource(300 + seed * 37, (i) => ({ i, sq: i * i })), (seed) => 1 + (seed % 3));
  t.like(r, { equal: true });
  t.true(r.crashes > 10 && r.checkpoints > 10, `exercised ${r.crashes} crashes, ${r.checkpoints} checkpoints`);
});

test('collection source: restored readers go on exactly after their snapshot (12 seeds)', async (t) => {
  const items = Array.from({ length: 411 }, (_, i) => `item-${i}`);
  t.like(await restoresExactly(() => new CollectionSource(items), (seed) => 1 + (seed % 4)), { equal: true });
});

test('unbounded generator: each subtask\'s restored stream is a prefix-exact continuation', async (t) => {
  t.like(await restoresExactly(() => new GeneratorSource(Infinity, (i) => i * 3), (seed) => 1 + (seed % 3), { limitPerSubtask: 400 }), { equal: true });
});

test('rate-limited generator: restores exactly, and a restored reader is not held back by its position', async (t) => {
  const make = (): GeneratorSource<number> => new GeneratorSource(240, (i) => i, { ratePerSecond: 40_000 });
  t.like(await restoresExactly(make, (seed) => 1 + (seed % 2)), { equal: true });
  const reader = make().createReader({ subtaskIndex: 0, parallelism: 1 });
  reader.addSplit({ index: 0, of: 1, next: 200 });
  await new Promise((r) => setTimeout(r, 5));
  const out: number[] = [];
  reader.pollNext({ collect: (x) => out.push(x) }, 5);
  t.deepEqual(out, [200, 201, 202, 203, 204]);
});

test('generator source: restored at another parallelism, every record comes exactly once', async (t) => {
  for (const seed of SEEDS) {
    const source = new GeneratorSource(500, (i) => i);
    const r = await runWithRestores(source, { parallelism: 3, seed, checkpointChance: 0.1, crashChance: 0.05, restoreParallelism: (rng) => 1 + Math.floor(rng() * 4) });
    const all = r.emitted.map((e) => e.value as number).sort((a, b) => a - b);
    t.deepEqual(all, Array.from({ length: 500 }, (_, i) => i), `seed ${seed}`);
  }
});

test('nexmark source: restored readers go on exactly after their snapshot, timestamps included', async (t) => {
  t.like(await restoresExactly((seed) => new NexmarkSource({ events: 400 + seed * 11, seed }), (seed) => 1 + (seed % 3), { withTimestamps: true }), { equal: true });
});

test('nexmark source, throttled: restores exactly, and a restored split is due from where it stopped', async (t) => {
  t.like(await restoresExactly(() => new NexmarkSource({ events: 300, ratePerSecond: 60_000 }), (seed) => 1 + (seed % 2)), { equal: true });
  const reader = new NexmarkSource({ events: 3000, ratePerSecond: 1000 }).createReader({ subtaskIndex: 0, parallelism: 1 });
  reader.addSplit({ index: 0, of: 1, next: 2000 });
  const out: unknown[] = [];
  t.is(reader.pollNext({ collect: (e) => out.push(e) }, 10), 'more');
  t.true(out.length >= 1, 'the event at the restored position is due at once, not after 2 s');
  t.deepEqual(reader.snapshotState!(1), [{ index: 0, of: 1, next: 2000 + out.length }]);
});

test('stride enumerator: snapshot, restore (also at another parallelism) and splits given back', (t) => {
  const source = new GeneratorSource(30, (i) => i);
  const e = source.createEnumerator({ parallelism: 3 });
  t.deepEqual(e.nextSplit(0), { kind: 'split', split: { index: 0, of: 3, next: 0 } });
  const state = JSON.parse(JSON.stringify(e.snapshotState()));
  t.deepEqual(state, { v: 1, pending: [{ index: 1, of: 3, next: 0 }, { index: 2, of: 3, next: 0 }] });
  const r = source.restoreEnumerator({ parallelism: 3 }, state);
  t.deepEqual(r.nextSplit(0), { kind: 'no-more' }, 'subtask 0 had its split before the checkpoint');
  t.deepEqual(r.nextSplit(1), { kind: 'split', split: { index: 1, of: 3, next: 0 } });
  const back: StrideSplit = { index: 1, of: 3, next: 4 };
  r.addSplitsBack([back], 1);
  t.deepEqual(r.snapshotState().pending, [back, { index: 2, of: 3, next: 0 }], 'a split given back is in the next checkpoint');
  t.deepEqual(r.nextSplit(1), { kind: 'split', split: back }, 'and goes to its subtask again, position kept');
  const smaller = source.restoreEnumerator({ parallelism: 2 }, state);
  t.deepEqual(smaller.nextSplit(0), { kind: 'split', split: { index: 2, of: 3, next: 0 } }, 'split 2 of 3 belongs to subtask 0 of 2');
  t.deepEqual(smaller.nextSplit(1), { kind: 'split', split: { index: 1, of: 3, next: 0 } });
  t.deepEqual(smaller.nextSplit(1), { kind: 'no-more' });
});

test('stride sources: a state that is not theirs fails the restore with a named error', (t) => {
  const source = new GeneratorSource(10, (i) => i);
  t.throws(() => source.restoreEnumerator({ parallelism: 1 }, { v: 2, pending: [] } as never), {
    name: 'SourceRestoreError',
    message: 'generator of 10: cannot restore from the checkpoint: the enumerator state is not a stride enumerator state of version 1',
  });
  t.throws(() => source.createReader({ subtaskIndex: 0, parallelism: 1 }).addSplit({ index: 3, of: 2, next: 0 }), {
    name: 'SourceRestoreError',
    message: /\{"index":3,"of":2,"next":0\} is not a stride split/,
  });
  t.throws(() => new NexmarkSource({ events: 5 }).restoreEnumerator({ parallelism: 1 }, { v: 1, pending: [{ index: 0, of: 1, next: -1 }] }), { name: 'SourceRestoreError' });
});

import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { END_OF_INPUT, type SinkContext, type SinkWriter } from '@eddy/common';
import { FileSink, FileSource, type FileCommittable } from '../../index.js';
import { seededRandom } from './source-harness.js';
import { tempDir } from './temp-dir.js';

const ctx = (subtaskIndex: number, parallelism = 1): SinkContext => ({ subtaskIndex, parallelism, jobId: 'job-1', checkpointing: true });
const visible = (dir: string): string[] => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
const hidden = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('.') && f !== '.eddy-sink').sort();
const committed = (dir: string): number[] =>
  visible(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== '').map(Number)).sort((a, b) => a - b);

test('file sink 2PC: nothing visible before commit; a crash restores exactly what the restored checkpoint prepared; re-commit is idempotent; leftovers are aborted', async (t) => {
  const dir = join(tempDir(t, 'sink'), 'out');
  const sink = FileSink.forPath<number>(dir);
  const w = sink.createWriter(ctx(0));
  w.write(1);
  w.write(2);
  w.flush?.(false);
  t.deepEqual(visible(dir), [], 'written but not prepared: hidden');
  const c1 = (await w.prepareCommit!(1)) as FileCommittable[];
  t.deepEqual(c1, [{ v: 1, pending: '.part-0-0.pending', committed: 'part-0-0.jsonl' }]);
  w.write(3);
  const c2 = (await w.prepareCommit!(2)) as FileCommittable[];
  w.write(4);
  w.flush?.(false);
  t.deepEqual(visible(dir), [], 'prepared but not committed: hidden');
  t.deepEqual(hidden(dir), ['.part-0-0.pending', '.part-0-1.pending', '.part-0-2.inprogress']);
  // Crash: the writer is dropped without close(); checkpoint 1 is the latest completed one.
  const committer = sink.createCommitter!(ctx(0));
  await committer.commit(c1);
  const restored = sink.restoreWriter!(ctx(0), { checkpointId: 1, committables: c1, writerState: [] });
  t.deepEqual(visible(dir), ['part-0-0.jsonl']);
  t.deepEqual(committed(dir), [1, 2], 'exactly what checkpoint 1 prepared');
  t.deepEqual(hidden(dir), [], 'the prepared transaction of checkpoint 2 and the in-progress file are aborted');
  await t.notThrowsAsync(committer.commit(c1), 'committing again what is committed succeeds');
  t.deepEqual(committed(dir), [1, 2]);
  await t.throwsAsync(committer.commit(c2), { name: 'CommitError', message: /neither \.part-0-1\.pending nor part-0-1\.jsonl is in .*: the prepared data is lost/ });
  restored.write(5);
  const c3 = (await restored.prepareCommit!(3)) as FileCommittable[];
  t.is(c3[0]!.committed, 'part-0-3.jsonl', 'sequence numbers are never reused, not even those of aborted files');
  await committer.commit(c3);
  t.deepEqual(committed(dir), [1, 2, 5]);
});

test('file sink 2PC: a writer restored before the commit keeps the restored checkpoint\'s pending files for it', async (t) => {
  const dir = join(tempDir(t, 'sink'), 'out');
  const sink = FileSink.forPath<number>(dir);
  const w = sink.createWriter(ctx(0));
  w.write(7);
  const c1 = (await w.prepareCommit!(1)) as FileCommittable[];
  const restored = sink.restoreWriter!(ctx(0), { checkpointId: 1, committables: c1, writerState: [] });
  t.deepEqual(hidden(dir), ['.part-0-0.pending']);
  restored.write(8);
  const c2 = (await restored.prepareCommit!(2)) as FileCommittable[];
  t.is(c2[0]!.pending, '.part-0-1.pending', 'a kept pending file keeps its sequence number taken');
  await sink.createCommitter!(ctx(0)).commit([...c1, ...c2]);
  t.deepEqual(committed(dir), [7, 8]);
});

test('file sink 2PC: a bounded input is committed at its end (prepareCommit(END_OF_INPUT), then the final commit)', async (t) => {
  const dir = join(tempDir(t, 'sink'), 'out');
  const sink = FileSink.forPath<number>(dir, { format: 'text' });
  const w = sink.createWriter(ctx(0));
  for (let i = 0; i < 5; i++) w.write(i);
  await w.flush?.(true);
  const last = (await w.prepareCommit!(END_OF_INPUT)) as FileCommittable[];
  t.deepEqual(await w.prepareCommit!(END_OF_INPUT), [], 'a transaction without records leaves no file');
  await w.close?.();
  t.deepEqual(visible(dir), []);
  await sink.createCommitter!(ctx(0)).commit(last);
  t.deepEqual(visible(dir), ['part-0-0.txt']);
  t.is(readFileSync(join(dir, 'part-0-0.txt'), 'utf8'), '0\n1\n2\n3\n4\n');
  t.deepEqual(hidden(dir), []);
});

test('file sink 2PC: a reader of the directory (FileSource) sees only committed output', async (t) => {
  const dir = join(tempDir(t, 'sink'), 'out');
  const sink = FileSink.forPath<number>(dir);
  const w = sink.createWriter(ctx(0));
  w.write(1);
  const c1 = (await w.prepareCommit!(1)) as FileCommittable[];
  w.write(2);
  w.flush?.(false);
  const read = (): string[] => {
    const source = FileSource.forPath(dir);
    const e = source.createEnumerator();
    const r = source.createReader();
    const out: string[] = [];
    for (let a = e.nextSplit(0); a.kind === 'split'; a = e.nextSplit(0)) {
      r.addSplit(a.split);
      while (r.pollNext({ collect: (l) => out.push(l) }, 100) !== 'needs-split');
    }
    return out;
  };
  t.deepEqual(read(), []);
  await sink.createCommitter!(ctx(0)).commit(c1);
  t.deepEqual(read(), ['1']);
  await w.close?.();
  t.deepEqual(hidden(dir), [], 'close() aborts the unprepared in-progress file');
});

test('file sink 2PC: committables are checked, so a damaged checkpoint cannot rename files outside the directory', async (t) => {
  const dir = join(tempDir(t, 'sink'), 'out');
  const sink = FileSink.forPath<number>(dir);
  sink.createWriter(ctx(0));
  const bad = { v: 1, pending: '../../x.pending', committed: 'part-0-0.jsonl' } as FileCommittable;
  await t.throwsAsync(sink.createCommitter!(ctx(0)).commit([bad]), { name: 'CommitError', message: /is not a FileSink committable of version 1/ });
  t.throws(() => sink.restoreWriter!(ctx(0), { checkpointId: 1, committables: [bad], writerState: [] }), { name: 'CommitError' });
});

/**
 * Random runs of the whole protocol: subtasks write, checkpoints prepare, some complete (some of
 * their notices lost), crashes restore from the latest completed checkpoint, sometimes at another
 * parallelism. At every step the visible output is exactly the committed transactions, and at the
 * end (the end-of-input commit) exactly every transaction that was not rolled back.
 */
test('file sink 2PC: random runs with lost notices, crashes and rescaling commit exactly once (12 seeds)', async (t) => {
  for (let seed = 1; seed <= 12; seed++) {
    const rng = seededRandom(seed);
    const dir = join(tempDir(t, 'sink'), 'out');
    const sink = FileSink.forPath<number>(dir);
    let parallelism = 1 + Math.floor(rng() * 3);
    let writers: SinkWriter<number>[] = Array.from({ length: parallelism }, (_, i) => sink.createWriter(ctx(i, parallelism)));
    const committer = sink.createCommitter!(ctx(0));
    let open: number[][] = writers.map(() => []); // records of each writer's current transaction
    const prepared = new Map<number, { committables: FileCommittable[]; records: number[] }>(); // by checkpoint
    let completed = 0;
    let committedUpTo = 0;
    let next = 0;
    let crashes = 0;
    const expectCommitted = (upTo: number): number[] => [...prepared].filter(([id]) => id <= upTo).flatMap(([, p]) => p.records).sort((a, b) => a - b);
    for (let checkpoint = 1; checkpoint <= 25; checkpoint++) {
      for (let n = Math.floor(rng() * 12); n > 0; n--) {
        const s = Math.floor(rng() * parallelism);
        writers[s]!.write(next);
        open[s]!.push(next++);
      }
      const p = { committables: [] as FileCommittable[], records: open.flat() };
      for (const w of writers) p.committables.push(...((await w.prepareCommit!(checkpoint)) as FileCommittable[]));
      prepared.set(checkpoint, p);
      open = writers.map(() => []);
      if (rng() < 0.6) {
        completed = checkpoint;
        if (rng() < 0.7) {
          // The notice of `completed` commits every checkpoint up to it (lost notices are subsumed).
          await committer.commit([...prepared].filter(([id]) => id <= completed).flatMap(([, x]) => x.committables));
          committedUpTo = completed;
        }
      }
      t.deepEqual(committed(dir), expectCommitted(committedUpTo), `seed ${seed}, checkpoint ${checkpoint}: visible = committed`);
      if (rng() < 0.2) {
        crashes++;
        for (const id of [...prepared.keys()]) if (id > completed) prepared.delete(id);
        for (let s = 0; s < parallelism; s++) if (rng() < 0.5) writers[s]!.write(-1); // unprepared, lost in the crash
        const restoredCommittables = [...prepared.values()].flatMap((x) => x.committables);
        await committer.commit(restoredCommittables);
        committedUpTo = completed;
        parallelism = rng() < 0.3 ? 1 + Math.floor(rng() * 3) : parallelism;
        writers = Array.from({ length: parallelism }, (_, i) => sink.restoreWriter!(ctx(i, parallelism), { checkpointId: completed, committables: restoredCommittables, writerState: [] }));
        open = writers.map(() => []);
        t.deepEqual(hidden(dir), [], `seed ${seed}: after a restore only committed files are left`);
      }
    }
    const last: FileCommittable[] = [];
    for (const w of writers) {
      await w.flush?.(true);
      last.push(...((await w.prepareCommit!(END_OF_INPUT)) as FileCommittable[]));
      await w.close?.();
    }
    prepared.set(END_OF_INPUT, { committables: last, records: open.flat() });
    await committer.commit([...prepared.values()].flatMap((x) => x.committables));
    t.deepEqual(committed(dir), expectCommitted(END_OF_INPUT), `seed ${seed} after ${crashes} crashes`);
    t.false(committed(dir).includes(-1));
    t.deepEqual(hidden(dir), []);
    t.true(visible(dir).every((f) => /^part-\d+-\d+\.jsonl$/.test(f)));
  }
});

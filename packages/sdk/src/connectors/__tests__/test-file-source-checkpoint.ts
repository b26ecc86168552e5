import test from 'ava';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSource, type FileSplit } from '../../index.js';
import { runUninterrupted, runWithRestores, seededRandom, type Emitted } from './source-harness.js';
import { tempDir } from './temp-dir.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
const PIECES = ['a', 'word', ' ', 'é', '€', '𝄞', '日本', '"', ',', '{', 'x'.repeat(70)];

/** Lines tagged with their file, some longer than any chunk, multi-byte characters, CRLF, a last line without newline. */
function writeFiles(dir: string, seed: number, format: 'text' | 'jsonl', emptyLines: boolean): void {
  const rng = seededRandom(seed * 7919);
  for (let f = 0; f < 4; f++) {
    const lines: string[] = [];
    const n = 5 + Math.floor(rng() * 40);
    for (let i = 0; i < n; i++) {
      const body = Array.from({ length: Math.floor(rng() * 6) }, () => PIECES[Math.floor(rng() * PIECES.length)]).join('');
      const roll = rng();
      if (emptyLines && roll < 0.08) lines.push('');
      else if (format === 'text') lines.push(`f${f}:${i}:${body}`);
      else if (roll < 0.2) lines.push(`{"f":${f},"n":${i},"broken ${body}`);
      else lines.push(JSON.stringify({ f, n: i, body }));
    }
    const text = lines.map((l) => l + (rng() < 0.3 ? '\r\n' : '\n')).join('');
    writeFileSync(join(dir, `in-${f}.${format}`), rng() < 0.5 ? text.replace(/\r?\n$/, '') : text);
  }
}

/** The output of each file in order (files may go to any reader), dead letters marked. */
function byFile(emitted: readonly Emitted[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of emitted) {
    const raw = typeof e.value === 'string' ? e.value : JSON.stringify(e.value);
    const file = /^f(\d+):/.exec(raw)?.[1] ?? /"f":(\d+)/.exec(raw)?.[1] ?? 'untagged';
    out.set(file, [...(out.get(file) ?? []), (e.dead ? 'DEAD ' : '') + raw]);
  }
  return out;
}

async function compareRuns(t: import('ava').ExecutionContext, format: 'text' | 'jsonl', parallelismOf: (seed: number) => number, emptyLines: (p: number) => boolean): Promise<void> {
  let crashes = 0;
  for (const seed of SEEDS) {
    const dir = tempDir(t, 'fsrc');
    const parallelism = parallelismOf(seed);
    writeFiles(dir, seed, format, emptyLines(parallelism));
    const readChunkBytes = 1 + ((seed * 13) % 40);
    const make = (): FileSource<unknown> => FileSource.forPath<unknown>(dir, { format: format as 'jsonl', readChunkBytes });
    const expected = await runUninterrupted(make(), { parallelism });
    const restored = await runWithRestores(make(), { parallelism, seed, checkpointChance: 0.15, crashChance: 0.06 });
    crashes += restored.crashes;
    if (parallelism === 1) t.deepEqual(restored.emitted, expected, `seed ${seed}: the concatenated output, record by record`);
    t.deepEqual([...byFile(restored.emitted)].sort(), [...byFile(expected)].sort(), `seed ${seed}, chunks of ${readChunkBytes} bytes, parallelism ${parallelism}`);
  }
  t.true(crashes > 10, `exercised ${crashes} crashes`);
}

test('file source (text): restored readers neither repeat nor skip a line, across chunk boundaries (12 seeds)', async (t) => {
  await compareRuns(t, 'text', (seed) => 1 + (seed % 3), (p) => p === 1);
});

test('file source (jsonl): restores exactly with malformed lines gone to dead letters and empty lines (12 seeds)', async (t) => {
  await compareRuns(t, 'jsonl', (seed) => 1 + (seed % 3), () => true);
});

test('file source: a snapshot after every line, at every chunk size, resumes at the next line', (t) => {
  const dir = tempDir(t, 'fsrc');
  const file = join(dir, 'in.txt');
  // 'é€' straddles small chunks; '\r\n' may be cut between \r and \n; bytes 0xff and a cut-off
  // 3-byte sequence are invalid UTF-8, whose decoded length differs from its byte length.
  writeFileSync(file, Buffer.concat([Buffer.from('a\né€x\r\n\nlonger line here\r\n'), Buffer.from([0xff, 0x41, 0xe2, 0x82, 0x0a]), Buffer.from('last')]));
  const all = (reader: ReturnType<FileSource['createReader']>): string[] => {
    const out: string[] = [];
    while (reader.pollNext({ collect: (l) => out.push(l) }, 100) !== 'needs-split');
    return out;
  };
  for (let chunk = 1; chunk <= 9; chunk++) {
    const source = FileSource.forPath(file, { readChunkBytes: chunk });
    const whole = source.createReader({ subtaskIndex: 0, parallelism: 1 });
    whole.addSplit({ path: file });
    const expected = all(whole);
    t.is(expected.length, 6);
    for (let k = 0; k <= expected.length; k++) {
      const first = source.createReader({ subtaskIndex: 0, parallelism: 1 });
      first.addSplit({ path: file });
      const head: string[] = [];
      for (let i = 0; i < k; i++) first.pollNext({ collect: (l) => head.push(l) }, 1);
      const snapshot = JSON.parse(JSON.stringify(first.snapshotState!(1))) as FileSplit[];
      first.close?.();
      const second = source.createReader({ subtaskIndex: 0, parallelism: 1 });
      for (const s of snapshot) second.addSplit(s);
      t.deepEqual([...head, ...all(second)], expected, `chunks of ${chunk} bytes, snapshot after ${k} lines (${JSON.stringify(snapshot)})`);
      t.is(snapshot[0]?.line ?? expected.length, k, 'the split carries the number of lines before it');
    }
  }
});

test('file source: a restored reader names the right line of malformed JSON', (t) => {
  const dir = tempDir(t, 'fsrc');
  const file = join(dir, 'in.jsonl');
  writeFileSync(file, '{"a":1}\n{"a":2}\n\n{"a":\n');
  const source = FileSource.forPath(file, { format: 'jsonl', readChunkBytes: 3 });
  const first = source.createReader({ subtaskIndex: 0, parallelism: 1 });
  first.addSplit({ path: file });
  first.pollNext({ collect() {} }, 1);
  const [split] = first.snapshotState!(1);
  t.deepEqual(split, { path: file, offset: 8, line: 1 });
  const second = source.createReader({ subtaskIndex: 0, parallelism: 1 });
  second.addSplit(split!);
  t.throws(() => second.pollNext({ collect() {} }, 10), { message: /malformed JSON at .*in\.jsonl:4/ });
});

test('file enumerator: snapshot, restore from the checkpoint\'s list (not a new listing) and splits given back', (t) => {
  const dir = tempDir(t, 'fsrc');
  for (const f of ['a', 'b', 'c']) writeFileSync(join(dir, `${f}.txt`), `${f}\n`);
  const source = FileSource.forPath(dir);
  const e = source.createEnumerator({ parallelism: 2 });
  const a = e.nextSplit(0);
  t.deepEqual(a, { kind: 'split', split: { path: join(dir, 'a.txt'), offset: 0, line: 0 } });
  const state = JSON.parse(JSON.stringify(e.snapshotState!(1)));
  writeFileSync(join(dir, 'd.txt'), 'd\n');
  const r = source.restoreEnumerator({ parallelism: 3 }, state);
  const back: FileSplit = { path: join(dir, 'a.txt'), offset: 2, line: 1 };
  r.addSplitsBack!([back], 0);
  t.deepEqual(r.snapshotState!(2).pending.map((s) => s.path), ['a.txt', 'b.txt', 'c.txt'].map((f) => join(dir, f)));
  t.deepEqual(r.nextSplit(2), { kind: 'split', split: back }, 'a split given back goes to the next reader that asks, position kept');
  t.deepEqual([r.nextSplit(0), r.nextSplit(1), r.nextSplit(0)].map((x) => (x.kind === 'split' ? x.split.path : x.kind)), [join(dir, 'b.txt'), join(dir, 'c.txt'), 'no-more']);
  t.throws(() => source.restoreEnumerator({ parallelism: 1 }, { v: 1, pending: [{ path: '' }] }), { name: 'SourceRestoreError', message: /is not a file split/ });
});

test('file source: restoring into a file that changed since the checkpoint fails with a named error', (t) => {
  const dir = tempDir(t, 'fsrc');
  const file = join(dir, 'in.txt');
  writeFileSync(file, 'one\ntwo\n');
  const reader = FileSource.forPath(file).createReader({ subtaskIndex: 0, parallelism: 1 });
  t.throws(() => reader.addSplit({ path: file, offset: 2, line: 0 }), { name: 'SourceRestoreError', message: /offset 2 of .*in\.txt \(8 bytes\) is not the start of a line: the file changed since the checkpoint/ });
  t.throws(() => reader.addSplit({ path: file, offset: 9, line: 2 }), { name: 'SourceRestoreError' });
  appendFileSync(file, 'three\n');
  t.notThrows(() => reader.addSplit({ path: file, offset: 8, line: 2 }), 'an offset at a line start is fine');
  const out: string[] = [];
  reader.pollNext({ collect: (l) => out.push(l) }, 10);
  t.deepEqual(out, ['three']);
  reader.close?.();
});

import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Source, SourceReader } from '@eddy/common';
import { CollectionSource, FileSink, FileSource, GeneratorSource } from '../index.js';

/** Drives a source the way the runtime does: enumerator hands splits to readers until no more. */
function drain<T>(source: Source<T, unknown>, parallelism: number): T[][] {
  const enumerator = source.createEnumerator({ parallelism });
  return Array.from({ length: parallelism }, (_, subtask) => {
    const reader: SourceReader<T, unknown> = source.createReader({ subtaskIndex: subtask, parallelism });
    const out: T[] = [];
    for (;;) {
      const status = reader.pollNext({ collect: (r) => out.push(r) }, 7);
      if (status !== 'needs-split') continue;
      const a = enumerator.nextSplit(subtask);
      if (a.kind !== 'split') break;
      reader.addSplit(a.split);
    }
    return out;
  });
}

test('collection and generator sources split elements by stride over subtasks', (t) => {
  t.deepEqual(drain(new CollectionSource([1, 2, 3, 4, 5]), 2), [[1, 3, 5], [2, 4]]);
  t.deepEqual(drain(new GeneratorSource(7, (i) => i * 10), 3), [[0, 30, 60], [10, 40], [20, 50]]);
  t.is(new GeneratorSource(Infinity, (i) => i).boundedness, 'unbounded');
  t.throws(() => new GeneratorSource(-1, (i) => i), { message: /non-negative integer/ });
});

test('file source reads every line of every file once, across chunk boundaries, CRLF and a last line without newline', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-fs-'));
  try {
    const big = Array.from({ length: 100_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    writeFileSync(join(dir, 'a.txt'), big.join('\n') + '\n');
    writeFileSync(join(dir, 'b.txt'), 'x\r\ny\r\nz');
    writeFileSync(join(dir, '.hidden'), 'no');
    const lines = drain(FileSource.forPath(dir), 2).flat();
    t.deepEqual(lines.sort(), [...big, 'x', 'y', 'z'].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jsonl file source names the file and line of malformed JSON', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-fs-'));
  try {
    writeFileSync(join(dir, 'in.jsonl'), '{"a":1}\n\n{"a":\n');
    t.throws(() => drain(FileSource.forPath(join(dir, 'in.jsonl'), { format: 'jsonl' }), 1), { message: /malformed JSON at .*in\.jsonl:3/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sink writes one part file per subtask', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-sink-'));
  try {
    mkdirSync(dir, { recursive: true });
    const sink = FileSink.forPath<{ a: number }>(join(dir, 'out'));
    const w = sink.createWriter({ subtaskIndex: 1, parallelism: 2, jobId: 'j' });
    for (let i = 0; i < 3; i++) w.write({ a: i });
    await w.close?.();
    t.is(readFileSync(join(dir, 'out', 'part-1.jsonl'), 'utf8'), '{"a":0}\n{"a":1}\n{"a":2}\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sink: a directory belongs to one job; another job, or files of no job, fail with the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-sink-'));
  try {
    const out = join(dir, 'out');
    const sink = FileSink.forPath<number>(out);
    t.notThrows(() => sink.validate!(), 'an absent directory is fine');
    const writers = [0, 1].map((i) => sink.createWriter({ subtaskIndex: i, parallelism: 2, jobId: 'job-a' }));
    for (const w of writers) await w.close?.();
    t.notThrows(() => sink.createWriter({ subtaskIndex: 0, parallelism: 2, jobId: 'job-a' }), 'the owning job (a restart) may write again');
    t.throws(() => sink.createWriter({ subtaskIndex: 0, parallelism: 1, jobId: 'job-b' }), { message: /holds the output of job job-a: remove it or choose another directory/ });
    t.throws(() => sink.validate!(), { message: /is not empty \(.*part-0\.jsonl/ });
    const stray = join(dir, 'stray');
    mkdirSync(stray);
    writeFileSync(join(stray, 'part-3.jsonl'), '1\n');
    t.throws(() => FileSink.forPath<number>(stray).createWriter({ subtaskIndex: 0, parallelism: 1, jobId: 'job-c' }), { message: /stray is not empty \(part-3\.jsonl\)/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

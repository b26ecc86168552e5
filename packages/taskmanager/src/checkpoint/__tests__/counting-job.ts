/**
 * The job of the checkpoint tests: generator (2 subtasks) -> keyBy -> keyed running count -> the
 * transactional FileSink (2 subtasks, chained to the count), and what its committed output must be.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { JobPlan, Source } from '@eddy/common';
import { defineJob, FileSink } from '@eddy/sdk';
import { committedLines } from './checkpoint-harness.js';

export const KEYS = 16;

export interface Counted {
  k: number;
  n: number;
  i: number;
}

/** `source` replaces the generator (same records) when given. */
export function countingJob(out: string, backend: 'heap' | 'leveldb', records: number, ratePerSecond: number | undefined, source?: Source<unknown, unknown>): JobPlan {
  return defineJob((env) => {
    env.setStateBackend(backend);
    env.enableCheckpointing(60_000);
    const input = source
      ? env.fromSource(source as Source<Counted, unknown>)
      : env.fromGenerator(records, (i): Counted => ({ k: i % KEYS, n: 1, i }), ratePerSecond === undefined ? {} : { ratePerSecond });
    input
      .setParallelism(2)
      .keyBy((r) => r.k)
      .reduce((a, b) => ({ k: a.k, n: a.n + b.n, i: b.i }))
      .setParallelism(2)
      .sinkTo(FileSink.forPath(out))
      .setParallelism(2);
  }).plan([], { defaultParallelism: 2 });
}

/** `"k:n"` of every record of a failure-free run, sorted: each key counts 1, 2, ... once. */
export function expectedCounts(records: number): string[] {
  const perKey = new Array<number>(KEYS).fill(0);
  const out: string[] = [];
  for (let i = 0; i < records; i++) out.push(`${i % KEYS}:${++perKey[i % KEYS]!}`);
  return out.sort();
}

export function committedRecords(dir: string): Counted[] {
  return committedLines(dir).map((l) => JSON.parse(l) as Counted);
}

/** Directories of one test, removed when it ends. */
export function testDirs(t: ExecutionContext): { out: string; checkpoints: string; shared: string; data: string } {
  const root = mkdtempSync(join(tmpdir(), 'eddy-chk-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const d = { out: join(root, 'out'), checkpoints: join(root, 'checkpoints', 'job1'), shared: join(root, 'checkpoints', 'job1', 'shared'), data: join(root, 'data') };
  mkdirSync(d.data, { recursive: true });
  return d;
}

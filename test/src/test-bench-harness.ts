/**
 * The benchmark harness (bench/src/main.ts) as a user runs it, with real engine processes: it reports
 * the records each engine's sink received, and a failed job ends it promptly with the failure.
 * The Flink cases need a JDK (and build bench/flink on first use, as the harness does).
 */
import test from 'ava';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers/cluster.js';
import { hasJava, runHarness, takeResults } from './helpers/bench-harness.js';

const java = hasJava();
const withJava = java ? test.serial : test.serial.skip;

/** Outputs per query and engine of a finished run. */
function outputsOf(results: ReturnType<typeof takeResults>): Map<string, Map<string, number>> {
  return new Map(results.results.map((r) => [r.query, new Map(r.throughput.map((m) => [m.engine, m.outputs]))]));
}

async function countedOutputs(t: import('ava').ExecutionContext, engines: string): Promise<Map<string, Map<string, number>>> {
  const run = await runHarness(['--query', 'q0,q5', '--events', '20000', '--engines', engines, '--latency-rate', '0'], 100_000);
  t.is(run.code, 0, run.stderr.slice(-2000));
  return outputsOf(takeResults(run));
}

test.serial('bench harness: Eddy outputs are counted at the sink, equal to the limit on q0 and q5', async (t) => {
  const outputs = await countedOutputs(t, 'eddy,limit');
  for (const q of ['q0', 'q5']) {
    const limit = outputs.get(q)!.get('limit')!;
    t.true(limit > 0, `${q}: the limit produced no output`);
    t.is(outputs.get(q)!.get('eddy'), limit, `${q}: eddy reported ${outputs.get(q)!.get('eddy')} outputs, the limit ${limit}`);
  }
});

withJava('bench harness: Flink outputs are counted at the sink, equal to Eddy and the limit on q0 and q5', async (t) => {
  const outputs = await countedOutputs(t, 'eddy,flink,limit');
  for (const q of ['q0', 'q5']) {
    const o = outputs.get(q)!;
    t.is(o.get('flink'), o.get('limit'), `${q}: flink ${o.get('flink')}, limit ${o.get('limit')}`);
    t.is(o.get('eddy'), o.get('flink'), `${q}: eddy ${o.get('eddy')}, flink ${o.get('flink')}`);
  }
});

/** An output location the job cannot create: below a regular file. */
function unwritableOutput(t: import('ava').ExecutionContext): string {
  const dir = tempDir('harness');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a-file'), '');
  return join(dir, 'a-file', 'outputs');
}

/** The failing job itself takes about a second; Flink's bound adds the JVM start (and a Maven build on first use). */
const BOUND_MS = 30_000;

test.serial('bench harness: a failed Eddy job ends the harness promptly, non-zero, with the failure', async (t) => {
  const run = await runHarness(['--query', 'q0', '--events', '20000', '--engines', 'eddy', '--latency-rate', '0', '--output', unwritableOutput(t)], BOUND_MS);
  t.false(run.timedOut, `still running after ${BOUND_MS} ms; stderr: ${run.stderr.slice(-1000)}`);
  t.not(run.code, 0);
  t.regex(run.stderr, /eddy q0 FAILED: .*ENOTDIR/);
});

withJava('bench harness: a failed Flink job ends the harness promptly, non-zero, with the failure', async (t) => {
  const run = await runHarness(['--query', 'q0', '--events', '20000', '--engines', 'flink', '--latency-rate', '0', '--output', unwritableOutput(t)], BOUND_MS * 3);
  t.false(run.timedOut, `still running after ${BOUND_MS * 3} ms; stderr: ${run.stderr.slice(-1000)}`);
  t.not(run.code, 0);
  t.regex(run.stderr, /bench: flink \(JVM\) exited with code 1: flink q0 FAILED: java\.nio\.file\.\w+Exception: .*a-file/);
});

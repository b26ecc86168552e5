/**
 * The benchmark harness.
 *
 *   npm run bench -- [--query q0,q5] [--events N] [--parallelism P] [--checkpoint-ms T]
 *                    [--engines eddy,flink,limit] [--latency-rate R] [--seed S] [--state-backend heap|leveldb]
 *                    [--repeat N]   (N throughput runs per engine, interleaved; the median run is reported)
 *                    [--output DIR] (every engine writes its outputs under DIR/<query>/; they are compared)
 *   npm run bench -- --suite wordcount|window      (Eddy-only suites)
 *
 * Runs the engines one after another on the same Nexmark input, with a progress line, and prints one
 * table per query: events/s (source to sink), events/s per core, CPU and peak RSS of every process,
 * p50/p99 latency at a fixed rate, checkpoint duration, and the ratios Eddy/Flink and Eddy/limit.
 * Results are also written as JSON under bench/results/ (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEddy } from './engines/eddy-engine.js';
import { runFlink } from './engines/flink-engine.js';
import { runLimit } from './engines/limit-engine.js';
import type { Measurement, RunOptions } from './engines/measurement.js';
import { runSuite } from './micro-suites.js';
import { checkOutputs } from './output-check.js';
import { renderQueryTable, renderSummaryTable } from './report.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ALL_QUERIES = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q7', 'q8'];
const ENGINES = { eddy: runEddy, flink: runFlink, limit: runLimit } as const;

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--suite')) return runSuite(argv);
  const { values } = parseArgs({
    args: argv,
    options: {
      query: { type: 'string', default: ALL_QUERIES.join(',') },
      events: { type: 'string', default: '2000000' },
      parallelism: { type: 'string', default: '2' },
      'checkpoint-ms': { type: 'string', default: '0' },
      engines: { type: 'string', default: 'eddy,flink,limit' },
      'latency-rate': { type: 'string', default: '100000' },
      'latency-seconds': { type: 'string', default: '5' },
      seed: { type: 'string', default: '42' },
      'state-backend': { type: 'string', default: 'heap' },
      repeat: { type: 'string', default: '1' },
      output: { type: 'string' },
    },
  });
  const queries = values.query!.split(',');
  for (const q of queries) if (!ALL_QUERIES.includes(q)) throw new Error(`unknown query '${q}' (known: ${ALL_QUERIES.join(', ')})`);
  const engines = values.engines!.split(',') as (keyof typeof ENGINES)[];
  for (const e of engines) if (!(e in ENGINES)) throw new Error(`unknown engine '${e}' (known: eddy, flink, limit)`);
  const events = Number(values.events);
  const parallelism = Number(values.parallelism);
  const checkpointMs = Number(values['checkpoint-ms']);
  const latencyRate = Number(values['latency-rate']);
  const latencyEvents = Math.round(latencyRate * Number(values['latency-seconds']));
  const seed = Number(values.seed);
  const stateBackend = values['state-backend'] === 'leveldb' ? 'leveldb' : 'heap';
  if (values['state-backend'] !== stateBackend) throw new Error(`--state-backend must be heap or leveldb, got '${values['state-backend']}'`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got '${values.repeat}'`);
  // Not created here: each engine creates its own output location, so an unwritable one fails the job
  // as it would fail a user's.
  const outputRoot = values.output === undefined ? undefined : resolve(values.output);
  let outputsDiffer = false;

  // Latency is measured for the engines (the limit is a throughput ceiling, not a pipeline) and for
  // the queries whose outputs carry the event time they depend on (q2-q4 outputs carry none).
  const TIMED_OUTPUTS = new Set(['q0', 'q1', 'q5', 'q7', 'q8']);
  const results: { query: string; throughput: Measurement[]; latency: Measurement[] }[] = [];
  const started = Date.now();
  for (const query of queries) {
    const latency: Measurement[] = [];
    const base: RunOptions = { query, events, parallelism, seed, checkpointMs, stateBackend };
    const outputDir = outputRoot === undefined ? undefined : join(outputRoot, query);
    // Repetitions interleave the engines (and rotate their order), so a noisy minute of a shared
    // machine hits every engine alike; each engine's median run is reported.
    const runs = new Map<string, Measurement[]>(engines.map((e) => [e, []]));
    for (let r = 0; r < repeat; r++) {
      for (let i = 0; i < engines.length; i++) {
        const engine = engines[(i + r) % engines.length]!;
        const label = `${query} ${engine} throughput${repeat > 1 ? ` (run ${r + 1}/${repeat})` : ''}`;
        runs.get(engine)!.push(await step(label, (onProgress) => ENGINES[engine](root, { ...base, ...(outputDir ? { outputDir } : {}), onProgress })));
      }
    }
    const throughput = engines.map((e) => median(runs.get(e)!));
    if (outputDir !== undefined) {
      const check = checkOutputs(query, outputDir, engines);
      outputsDiffer ||= !check.equal;
      process.stdout.write(`${check.summary}\n`);
    }
    for (const engine of engines) {
      if (latencyRate > 0 && engine !== 'limit' && TIMED_OUTPUTS.has(query)) {
        latency.push(await step(`${query} ${engine} latency @${latencyRate}/s`, (onProgress) =>
          ENGINES[engine](root, { ...base, events: latencyEvents, rate: latencyRate, onProgress })));
      }
    }
    results.push({ query, throughput, latency });
    process.stdout.write('\n' + renderQueryTable(query, throughput, latency) + '\n');
  }
  const header = `Nexmark, ${events.toLocaleString('en-US')} events${repeat > 1 ? ` (median of ${repeat} runs per engine)` : ''}, parallelism ${parallelism}, checkpoints ${checkpointMs > 0 ? `every ${checkpointMs} ms` : 'off'}, state on the ${stateBackend === 'heap' ? 'heap in both engines (Eddy heap backend, Flink HashMapStateBackend)' : 'Eddy LevelDB backend (Flink: HashMapStateBackend)'}, latency at ${latencyRate.toLocaleString('en-US')} events/s${outputRoot ? `; outputs written to ${outputRoot} (a check of the outputs: the figures include writing them)` : ''}; ${cpus().length} cores (${cpus()[0]?.model ?? ''}), node ${process.version}; ${((Date.now() - started) / 1000).toFixed(0)} s`;
  process.stdout.write(`\n${renderSummaryTable(results)}\n\n${header}\ncommand: npm run bench -- ${argv.join(' ')}\n`);
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `nexmark-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ header, argv, results }, null, 2));
  process.stdout.write(`results: ${file}\n`);
  if (outputsDiffer) throw new Error('the engines\' outputs differ (see the "outputs DIFFER" lines above)');
}

/** The run with the median events/s (the lower middle one for an even count), with every run's events/s. */
function median(runs: Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => a.eventsPerSec - b.eventsPerSec);
  const m = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return runs.length === 1 ? m : { ...m, runsEventsPerSec: runs.map((r) => Math.round(r.eventsPerSec)) };
}

/** Runs one measurement with a progress line on stderr. */
async function step(label: string, run: (onProgress: RunOptions['onProgress']) => Promise<Measurement>): Promise<Measurement> {
  const t0 = Date.now();
  let lastDraw = 0;
  const draw = (fraction: number | undefined, note: string): void => {
    // Redraw in place on a terminal; elsewhere (CI logs) at most every 5 s.
    if (!process.stderr.isTTY && Date.now() - lastDraw < 5000) return;
    lastDraw = Date.now();
    const bar = fraction === undefined ? '' : `[${'#'.repeat(Math.round(Math.min(1, fraction) * 20)).padEnd(20)}] ${(Math.min(1, fraction) * 100).toFixed(0)}% `;
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${label}: ${bar}${note || `${((Date.now() - t0) / 1000).toFixed(0)} s`}   ${process.stderr.isTTY ? '' : '\n'}`);
  };
  draw(0, '');
  try {
    const m = await run(draw);
    process.stderr.write(`\r${label}: ${Math.round(m.eventsPerSec).toLocaleString('en-US')} events/s${' '.repeat(30)}\n`);
    return m;
  } catch (e) {
    process.stderr.write(`\r${label}: failed: ${(e as Error).message}\n`);
    throw e;
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 1;
});

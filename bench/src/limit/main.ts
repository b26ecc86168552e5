/**
 * The limit's command line:
 *   node bench/lib/limit/main.js --query q5 --events N [--seed S] [--event-rate R] [--output FILE] [--rate R]
 * Runs one query as a plain loop over the generator and prints one JSON line at the end:
 *   {"engine":"limit","query","events","outputs","wallSeconds","eventsPerSec","cpuSeconds","latencyMs"}
 * `--rate` throttles the generator to R events/s of wall time and measures the latency of every output
 * that carries an event time (q0, q1: the bid's dateTime; q5, q7, q8: the window end): sink wall time
 * minus the due time of that event time. `--event-rate` sets the generator's event-time rate
 * (default 100,000/s). `--output` writes every output record as a JSON line.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LIMIT_QUERIES, runLimit } from './queries.js';

function usage(message: string): never {
  process.stderr.write(`limit: ${message}\nusage: node bench/lib/limit/main.js --query ${LIMIT_QUERIES.join('|')} --events N [--seed S] [--event-rate R] [--output FILE] [--rate R]\n`);
  process.exit(2);
}

function parse(argv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) usage(`unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    if (eq > 0) m.set(a.slice(2, eq), a.slice(eq + 1));
    else {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      m.set(a.slice(2), v);
    }
  }
  return m;
}

function num(m: Map<string, string>, name: string): number | undefined {
  const v = m.get(name);
  if (v === undefined) return undefined;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) usage(`--${name} must be a non-negative number, got '${v}'`);
  return n;
}

// The harness reports the last line of stderr: end it with the failure, after the stack.
process.on('uncaughtException', (e) => {
  process.stderr.write(`${e.stack ?? e}\nlimit ${process.argv[process.argv.indexOf('--query') + 1] ?? ''} FAILED: ${e.message}\n`);
  process.exit(1);
});

const args = parse(process.argv.slice(2));
for (const k of args.keys()) if (!['query', 'events', 'seed', 'event-rate', 'output', 'rate'].includes(k)) usage(`unknown option --${k}`);
const query = args.get('query') ?? usage('--query is required');
if (!(LIMIT_QUERIES as readonly string[]).includes(query)) usage(`unknown query '${query}'`);
const events = num(args, 'events') ?? usage('--events is required');
const seed = num(args, 'seed');
const eventRate = num(args, 'event-rate');
const rate = num(args, 'rate');
const outputFile = args.get('output');

let fd = -1;
let pending = '';
const collect =
  outputFile === undefined
    ? undefined
    : (r: unknown): void => {
        pending += JSON.stringify(r) + '\n';
        if (pending.length > 1 << 16) {
          writeSync(fd, pending);
          pending = '';
        }
      };
if (outputFile !== undefined) {
  mkdirSync(dirname(outputFile), { recursive: true });
  fd = openSync(outputFile, 'w');
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = runLimit(query, {
  events,
  ...(seed !== undefined ? { seed } : {}),
  ...(eventRate !== undefined ? { config: { rate: eventRate } } : {}),
  ...(collect ? { collect } : {}),
  ...(rate !== undefined && rate > 0 ? { ratePerSecond: rate } : {}),
});
if (fd >= 0) {
  if (pending !== '') writeSync(fd, pending);
  closeSync(fd);
}
const wallSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

let latencyMs: { p50: number; p99: number; max: number; count: number } | null = null;
const lat = result.latenciesMs;
if (lat !== undefined && lat.length > 0) {
  const sorted = Float64Array.from(lat).sort();
  const at = (p: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
  latencyMs = { p50: at(0.5), p99: at(0.99), max: round(sorted[sorted.length - 1]!), count: sorted.length };
}

process.stdout.write(
  JSON.stringify({
    engine: 'limit',
    query,
    events,
    outputs: result.outputs,
    wallSeconds: round(wallSeconds),
    eventsPerSec: Math.round(events / wallSeconds),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    latencyMs,
  }) + '\n',
);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

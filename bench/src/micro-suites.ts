/**
 * Eddy-only suites: `npm run bench -- --suite wordcount|window [--records N] [--parallelism 1,2]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { runEddy, type EddyRun } from './run-eddy.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export async function runSuite(argv: string[]): Promise<void> {
const { values } = parseArgs({
  args: argv,
  options: {
    suite: { type: 'string', default: 'wordcount' },
    records: { type: 'string', default: '5000000' },
    parallelism: { type: 'string', default: '1,2' },
  },
});

const records = Number(values.records);
const levels = values.parallelism!.split(',').map(Number);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

interface Case {
  label: string;
  job: string;
  args: string[];
  parallelism: number;
}

const SUITES: Record<string, () => Case[]> = {
  wordcount: () => levels.map((p) => ({ label: `p=${p}`, job: 'wordcount-generated.ts', args: [String(records)], parallelism: p })),
  window: () =>
    ['leveldb', 'heap'].map((backend) => ({
      label: `${backend}, p=${levels[levels.length - 1]}`,
      job: 'window-count.ts',
      args: [String(records), backend],
      parallelism: levels[levels.length - 1]!,
    })),
};

const suite = SUITES[values.suite!];
if (!suite) throw new Error(`unknown suite '${values.suite}' (known: ${Object.keys(SUITES).join(', ')})`);
const rows: (EddyRun & { label: string })[] = [];
for (const c of suite()) {
  const label = `${values.suite} ${c.label}`;
  const r = await runEddy(join(root, 'bench/jobs', c.job), c.args, c.parallelism, records, (done) => {
    const pct = Math.min(100, (done / records) * 100);
    process.stderr.write(`\r${label}: [${'#'.repeat(Math.floor(pct / 5)).padEnd(20)}] ${pct.toFixed(0)}%`);
  });
  process.stderr.write(`\r${label}: done${' '.repeat(30)}\n`);
  rows.push({ ...r, label: c.label });
}

const base = rows[0]!;
console.log(`\nEddy ${values.suite}, ${fmt(records)} generated records, ${cpus().length} cores (${cpus()[0]?.model ?? ''}), node ${process.version}`);
console.log('| case | records/s | records/s per core | CPU s | wall s | peak RSS MiB | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${fmt(r.recordsPerSecond)} | ${fmt(r.recordsPerCoreSecond)} | ${r.cpuSeconds.toFixed(1)} | ${r.wallSeconds.toFixed(2)} | ${r.peakRssMiB.toFixed(0)} | ${(r.recordsPerSecond / base.recordsPerSecond).toFixed(2)}x |`);
}
const dir = join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${values.suite}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ suite: values.suite, records, node: process.version, cores: cpus().length, rows }, null, 2));
console.log(`\nresults: ${file}`);
}

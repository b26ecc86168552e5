/**
 * The benchmark harness: `npm run bench -- [--suite wordcount] [--records N] [--parallelism 1,2]`.
 * Runs the engines one after another on the same input, shows progress, prints one table and writes
 * the results as JSON under bench/results/ (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { runEddy, type EddyRun } from './run-eddy.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: 'wordcount' },
    records: { type: 'string', default: '5000000' },
    parallelism: { type: 'string', default: '1,2' },
  },
});

const records = Number(values.records);
const levels = values.parallelism!.split(',').map(Number);
if (values.suite !== 'wordcount') throw new Error(`unknown suite '${values.suite}' (known: wordcount)`);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rows: (EddyRun & { parallelism: number })[] = [];
for (const p of levels) {
  const label = `wordcount p=${p}`;
  const r = await runEddy(join(root, 'bench/jobs/wordcount-generated.ts'), [String(records)], p, records, (done) => {
    const pct = Math.min(100, (done / records) * 100);
    process.stderr.write(`\r${label}: [${'#'.repeat(Math.floor(pct / 5)).padEnd(20)}] ${pct.toFixed(0)}%`);
  });
  process.stderr.write(`\r${label}: done${' '.repeat(30)}\n`);
  rows.push({ ...r, parallelism: p });
}

const base = rows[0]!;
console.log(`\nEddy keyed word count, ${fmt(records)} generated records, ${cpus().length} cores (${cpus()[0]?.model ?? ''}), node ${process.version}`);
console.log('| parallelism | records/s | records/s per core | CPU s | wall s | peak RSS MiB | speed-up |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.parallelism} | ${fmt(r.recordsPerSecond)} | ${fmt(r.recordsPerCoreSecond)} | ${r.cpuSeconds.toFixed(1)} | ${r.wallSeconds.toFixed(2)} | ${r.peakRssMiB.toFixed(0)} | ${(r.recordsPerSecond / base.recordsPerSecond).toFixed(2)}x |`);
}
const dir = join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `wordcount-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ suite: 'wordcount', records, node: process.version, cores: cpus().length, rows }, null, 2));
console.log(`\nresults: ${file}`);

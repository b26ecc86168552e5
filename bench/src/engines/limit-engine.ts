/** The limit: each query as one plain JavaScript loop over the generator, one process, no engine. */
import { join } from 'node:path';
import { engineOutputPath } from '../output-check.js';
import { runChild } from './child-process-run.js';
import type { Measurement, RunOptions } from './measurement.js';

export async function runLimit(root: string, o: RunOptions): Promise<Measurement> {
  const args = [join(root, 'bench/lib/limit/main.js'), '--query', o.query, '--events', String(o.events), '--seed', String(o.seed)];
  if (o.rate) args.push('--rate', String(o.rate));
  if (o.outputDir) args.push('--output', engineOutputPath(o.outputDir, 'limit'));
  const { json, usage } = await runChild('limit', process.execPath, args, (s) => o.onProgress?.(undefined, `${s.toFixed(0)} s`));
  return toMeasurement('limit', o, json, [usage]);
}

export function toMeasurement(engine: Measurement['engine'], o: RunOptions, json: Record<string, unknown>, processes: Measurement['processes']): Measurement {
  const wall = Number(json.wallSeconds);
  const cpu = processes.reduce((a, p) => a + p.cpuSeconds, 0);
  return {
    engine,
    query: o.query,
    events: o.events,
    parallelism: engine === 'limit' ? 1 : o.parallelism,
    outputs: Number(json.outputs ?? 0),
    wallSeconds: wall,
    eventsPerSec: o.events / wall,
    cpuSeconds: cpu,
    eventsPerCoreSecond: cpu > 0 ? o.events / cpu : NaN,
    processes,
    latencyMs: (json.latencyMs as Measurement['latencyMs']) ?? null,
    checkpoints: (json.checkpoints as Measurement['checkpoints']) ?? null,
  };
}

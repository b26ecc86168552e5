/** Apache Flink: the same queries with the DataStream API in a local MiniCluster (bench/flink). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engineOutputPath } from '../output-check.js';
import { runChild } from './child-process-run.js';
import { toMeasurement } from './limit-engine.js';
import type { Measurement, RunOptions } from './measurement.js';

export async function runFlink(root: string, o: RunOptions): Promise<Measurement> {
  const script = join(root, 'bench/flink/run.sh');
  if (!existsSync(script)) throw new Error('bench/flink/run.sh is missing');
  const args = [script, '--query', o.query, '--events', String(o.events), '--parallelism', String(o.parallelism), '--seed', String(o.seed)];
  if (o.rate) args.push('--rate', String(o.rate));
  if (o.checkpointMs > 0) args.push('--checkpoint-ms', String(o.checkpointMs));
  if (o.outputDir) args.push('--output', engineOutputPath(o.outputDir, 'flink'));
  const { json, usage } = await runChild('flink (JVM)', 'bash', args, (s) => o.onProgress?.(undefined, `${s.toFixed(0)} s`));
  return toMeasurement('flink', o, json, [usage]);
}

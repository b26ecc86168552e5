/**
 * Eddy: the query's job (bench/nexmark/qX.ts) on an embedded cluster of real processes — a JobManager
 * and one TaskManager per slot — started fresh for each run. CPU and memory cover every process.
 * Throughput is measured like Flink's: from the first event a source subtask emitted to the last sink
 * subtask finishing, instants the subtasks report to the JobManager. Outputs are the records the
 * sink subtasks received (CountingSink), as Flink's sink counts them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster } from '@eddy/cli';
import { EddyClient } from '@eddy/sdk/client';
import { readSinkCounts } from '../counting-sink.js';
import { engineOutputPath } from '../output-check.js';
import { cpuSeconds, PeakRss, processTree } from '../process-stats.js';
import { percentile, type Measurement, type RunOptions } from './measurement.js';

const LATENCY_START_DELAY_MS = 3000;

export async function runEddy(root: string, o: RunOptions): Promise<Measurement> {
  if (o.checkpointMs > 0) throw new Error('Eddy has no checkpoints yet: run with --checkpoint-ms 0');
  const dir = mkdtempSync(join(tmpdir(), 'eddy-nexmark-'));
  const cluster = await LocalCluster.start({ taskManagers: o.parallelism, slotsPerTaskManager: 1, dir, taskManagerStdout: 'ignore' });
  const client = new EddyClient({ jobManager: cluster.address });
  // Stopped on every path: a sampler left running keeps the harness alive after a failed job.
  let rss: PeakRss[] = [];
  try {
    const procs = [cluster.jobManager, ...cluster.taskManagers];
    const pids = procs.map((p) => p.child.pid!);
    const cpuOf = (pid: number): number => processTree(pid).reduce((a, p) => a + cpuSeconds(p), 0);
    const cpu0 = pids.map(cpuOf);
    rss = pids.map((pid) => new PeakRss([pid]));
    const latencyDir = o.rate ? join(dir, 'latency') : '';
    const startAt = o.rate ? Date.now() + LATENCY_START_DELAY_MS : 0;
    const countDir = join(dir, 'outputs');
    const args = [String(o.events), o.outputDir ? engineOutputPath(o.outputDir, 'eddy') : '', o.rate ? String(o.rate) : '', String(o.seed), '', latencyDir, o.rate ? String(startAt) : '', o.stateBackend, countDir];
    const job = await EddyClient.prepare(join(root, 'bench/nexmark', `${o.query}.ts`), args, o.parallelism, `nexmark-${o.query}`);
    const jobId = await client.submit(job);
    const final = await client.waitForTermination(jobId, (s) => {
      const emitted = s.vertices[0]?.subtasks.reduce((a, t) => a + t.recordsIn, 0) ?? 0;
      o.onProgress?.(emitted / o.events, '');
    }, 250);
    if (final.state !== 'FINISHED') throw new Error(`eddy ${o.query} ${final.state}: ${final.failure?.message ?? ''}`);
    const processes = procs.map((p, i) => ({ name: `eddy ${p.name}`, cpuSeconds: cpuOf(pids[i]!) - cpu0[i]!, peakRssMiB: rss[i]!.stop() }));
    const cpu = processes.reduce((a, p) => a + p.cpuSeconds, 0);
    // The spec's wall time: first event emitted (by any source subtask) to the last sink subtask
    // finishing — as the Flink baseline measures it; deployment is not part of it.
    const firstEmit = Math.min(...(final.vertices[0]?.subtasks ?? []).map((t) => t.firstRecordTime || Infinity));
    const lastSink = Math.max(...(final.vertices[final.vertices.length - 1]?.subtasks ?? []).map((t) => t.endTime || -Infinity));
    let wall = Number.isFinite(firstEmit) && Number.isFinite(lastSink) ? (lastSink - firstEmit) / 1000 : (final.endTime - final.startTime) / 1000;
    if (o.rate) wall = ((Number.isFinite(lastSink) ? lastSink : final.endTime) - startAt) / 1000; // the throttled source waits for startAt
    return {
      engine: 'eddy',
      query: o.query,
      events: o.events,
      parallelism: o.parallelism,
      outputs: readSinkCounts(countDir, o.parallelism),
      wallSeconds: wall,
      eventsPerSec: o.events / wall,
      cpuSeconds: cpu,
      eventsPerCoreSecond: o.events / cpu,
      processes,
      latencyMs: latencyDir ? readLatency(latencyDir) : null,
      checkpoints: null,
    };
  } finally {
    for (const r of rss) r.stop();
    client.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function readLatency(dir: string): Measurement['latencyMs'] {
  if (!existsSync(dir)) return null;
  const all: number[] = [];
  for (const f of readdirSync(dir)) {
    const { samples } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { samples: number[] };
    for (const s of samples) all.push(s);
  }
  if (all.length === 0) return null;
  const sorted = Float64Array.from(all).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

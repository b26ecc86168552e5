/** Runs one job file on a fresh local cluster and measures it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster } from '@eddy/cli';
import { EddyClient } from '@eddy/sdk/client';
import { cpuSeconds, PeakRss } from './process-stats.js';

export interface EddyRun {
  records: number;
  wallSeconds: number;
  recordsPerSecond: number;
  cpuSeconds: number;
  recordsPerCoreSecond: number;
  peakRssMiB: number;
}

export async function runEddy(file: string, args: string[], parallelism: number, records: number, onProgress?: (done: number) => void): Promise<EddyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-'));
  const cluster = await LocalCluster.start({ taskManagers: parallelism, slotsPerTaskManager: 1, dir, taskManagerStdout: 'ignore' });
  const client = new EddyClient({ jobManager: cluster.address });
  try {
    const pids = [cluster.jobManager, ...cluster.taskManagers].map((p) => p.child.pid!);
    const cpu0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
    const rss = new PeakRss(pids);
    const job = await EddyClient.prepare(file, args, parallelism, 'bench');
    const jobId = await client.submit(job);
    const final = await client.waitForTermination(jobId, (s) => onProgress?.(s.vertices[0]?.subtasks.reduce((a, t) => a + t.recordsOut, 0) ?? 0), 250);
    if (final.state !== 'FINISHED') throw new Error(`benchmark job ${final.state}: ${final.failure?.message ?? ''}`);
    const cpu = pids.reduce((a, p) => a + cpuSeconds(p), 0) - cpu0;
    const wall = (final.endTime - final.startTime) / 1000;
    return {
      records,
      wallSeconds: wall,
      recordsPerSecond: records / wall,
      cpuSeconds: cpu,
      recordsPerCoreSecond: records / cpu,
      peakRssMiB: rss.stop(),
    };
  } finally {
    client.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

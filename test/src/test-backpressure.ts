import test from 'ava';
import { readFileSync } from 'node:fs';
import { jobFile, sleep, submit, withCluster } from './helpers/cluster.js';

/** Resident set size of a process, in MiB, from /proc. */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

// The bound the README states for a TaskManager under backpressure.
const RSS_BOUND_MIB = 200;

test('a sink 100x slower than its source slows the source, and every process stays within its memory bound', async (t) => {
  await withCluster({ taskManagers: 2 }, async (cluster, client) => {
    const { jobId } = await submit(client, jobFile('slow-sink.ts'), [], 2);
    const pids = [cluster.jobManager, ...cluster.taskManagers].map((p) => p.child.pid!);
    let peak = 0;
    let maxInFlight = 0;
    let sinkIn = 0;
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      await sleep(500);
      for (const pid of pids) peak = Math.max(peak, rssMiB(pid));
      const s = await client.status(jobId);
      t.is(s.state, 'RUNNING', JSON.stringify(s.failure));
      const sourceOut = s.vertices[0]!.subtasks.reduce((a, x) => a + x.recordsOut, 0);
      sinkIn = s.vertices[1]!.subtasks.reduce((a, x) => a + x.recordsIn, 0);
      maxInFlight = Math.max(maxInFlight, sourceOut - sinkIn);
    }
    t.log(`peak RSS ${peak.toFixed(0)} MiB, records in flight at most ${maxInFlight}, sink consumed ${sinkIn}`);
    t.true(sinkIn > 10_000, 'the sink made progress');
    t.true(peak < RSS_BOUND_MIB, `peak RSS ${peak.toFixed(0)} MiB`);
    // Without backpressure the source would run ~100x ahead; with it, in-flight records are bounded by buffers.
    t.true(maxInFlight < 60_000, `in flight ${maxInFlight}`);
    await client.cancel(jobId);
    t.is((await client.waitForTermination(jobId, undefined, 200)).state, 'CANCELED');
  });
});

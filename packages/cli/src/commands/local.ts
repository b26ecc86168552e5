import { resolve } from 'node:path';
import { EddyClient, type PreparedJob } from '@eddy/sdk/client';
import { DEFAULT_PARALLELISM, intOption, parse } from '../args.js';
import { CliError, toCliError } from '../cli-error.js';
import { LocalCluster } from '../local-cluster.js';
import { prepareJob, watchJob } from './submit-and-watch.js';

export const usage = `eddy local <job.ts> [-p N] [--slots S] [--dir DIR] [--json] [-- job args]

Runs a job on an embedded cluster: starts a JobManager and ceil(N / S) TaskManagers as child
processes on loopback, submits the job, streams its progress, prints where the output went, and
stops the cluster when the job ends: exit 0 when it finishes, 1 when it fails.

Ctrl-C stops the local cluster, and the job with it, and exits 130 (an unbounded job runs until then);
SIGTERM does the same and exits 143.

  -p, --parallelism N   default parallelism of the job's operators (default ${DEFAULT_PARALLELISM})
  --slots S             slots per TaskManager (default 1)
  --dir DIR             where logs and data go (default .eddy/local)
  --json                print the final status as JSON on stdout`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals, rest } = parse('local', argv, {
    parallelism: { type: 'string', short: 'p' },
    slots: { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return help();
  const file = positionals[0];
  if (!file) throw new CliError('local: missing the job file (e.g. eddy local examples/wordcount.ts -p 2)', 2);
  const p = intOption('local', 'parallelism', values.parallelism, DEFAULT_PARALLELISM, 1);
  const slots = intOption('local', 'slots', values.slots, 1, 1);
  const job = await prepareJob(file, rest, p);
  const needed = Math.max(...job.graph.vertices.map((v) => v.parallelism));
  const dir = resolve(typeof values.dir === 'string' ? values.dir : '.eddy/local');
  const taskManagers = Math.ceil(needed / slots);
  process.stderr.write(`starting a JobManager and ${taskManagers} TaskManager(s) (logs in ${dir})\n`);
  const interrupt = onInterrupt();
  try {
    const starting = LocalCluster.start({ taskManagers, slotsPerTaskManager: slots, dir });
    const cluster = await Promise.race([starting, interrupt.interrupted.then(() => undefined)]);
    if (cluster === undefined) {
      // interrupted while starting: stop whatever got started (a failed start stops its own processes)
      await starting.then((c) => c.stop(), () => undefined);
      return await interrupt.interrupted;
    }
    return await runOn(cluster, job, values.json === true, interrupt.interrupted);
  } finally {
    interrupt.dispose();
  }
}

async function runOn(cluster: LocalCluster, job: PreparedJob, json: boolean, interrupted: Promise<number>): Promise<number> {
  const client = new EddyClient({ jobManager: cluster.address });
  try {
    const jobId = await client.submit(job);
    process.stderr.write(`submitted job ${jobId} '${job.graph.name}'\n`);
    return await watchJob(client, jobId, job, json, interrupted);
  } catch (e) {
    throw toCliError(e);
  } finally {
    client.close();
    await cluster.stop();
  }
}

/**
 * Ctrl-C stops the cluster rather than canceling the job: in a terminal the JobManager and
 * TaskManagers get the same SIGINT (they share the CLI's process group) and are already shutting
 * down. SIGTERM (a supervisor, a test's timeout) stops it the same way, so no child outlives the CLI.
 * Later signals are ignored so the children are always stopped, which takes at most a few seconds
 * (LocalCluster.stop kills what does not exit). The exit code is 128 + the signal's number.
 */
function onInterrupt(): { interrupted: Promise<number>; dispose: () => void } {
  let handler: (signal: NodeJS.Signals) => void = () => undefined;
  const interrupted = new Promise<number>((resolve) => {
    let seen = false;
    handler = (signal) => {
      process.stderr.write(seen ? 'still stopping the local cluster\n' : `\ninterrupted (${signal}): stopping the local cluster\n`);
      seen = true;
      resolve(signal === 'SIGTERM' ? 143 : 130);
    };
  });
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    interrupted,
    dispose: () => {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}

function help(): number {
  process.stdout.write(usage + '\n');
  return 0;
}

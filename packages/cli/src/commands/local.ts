import { join, resolve } from 'node:path';
import { EddyClient } from '@eddy/sdk/client';
import { intOption, parse } from '../args.js';
import { CliError } from '../cli-error.js';
import { LocalCluster } from '../local-cluster.js';
import { prepareJob, watchJob } from './submit-and-watch.js';

export const usage = `eddy local <job.ts> [-p N] [--slots S] [--json] [-- job args]

Runs a job on an embedded cluster: starts a JobManager and ceil(N / S) TaskManagers as child
processes on loopback, submits the job, streams its progress, prints where the output went, and
exits 0 when a bounded job finishes (Ctrl-C cancels an unbounded one).

  -p, --parallelism N   default parallelism of the job's operators (default 2)
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
  const p = intOption('local', 'parallelism', values.parallelism, 2, 1);
  const slots = intOption('local', 'slots', values.slots, 1, 1);
  const job = await prepareJob(file, rest, p);
  const needed = Math.max(...job.graph.vertices.map((v) => v.parallelism));
  const dir = resolve(typeof values.dir === 'string' ? values.dir : '.eddy/local');
  process.stderr.write(`starting a JobManager and ${Math.ceil(needed / slots)} TaskManager(s) (logs in ${dir})\n`);
  const cluster = await LocalCluster.start({ taskManagers: Math.ceil(needed / slots), slotsPerTaskManager: slots, dir: join(dir) });
  const client = new EddyClient({ jobManager: cluster.address });
  try {
    const jobId = await client.submit(job);
    process.stderr.write(`submitted job ${jobId} '${job.graph.name}'\n`);
    return await watchJob(client, jobId, job, values.json === true);
  } catch (e) {
    throw new CliError((e as Error).message);
  } finally {
    client.close();
    await cluster.stop();
  }
}

function help(): number {
  process.stdout.write(usage + '\n');
  return 0;
}

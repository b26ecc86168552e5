import { EddyClient } from '@eddy/sdk/client';
import { clientOptions, intOption, jobManagerAddress, parse, token } from '../args.js';
import { CliError } from '../cli-error.js';
import { prepareJob, watchJob } from './submit-and-watch.js';

export const usage = `eddy run <job.ts> [--jobmanager host:port] [-p N] [--detached] [--slot-wait-timeout MS] [--json] [-- job args]

Bundles the job, submits it to a running JobManager and follows it until it ends.

  -m, --jobmanager H:P   JobManager address (default $EDDY_JOBMANAGER or 127.0.0.1:6123)
  -p, --parallelism N    default parallelism (default 1)
  -d, --detached         print the job id and return at once
  --slot-wait-timeout MS how long the job may wait for free slots before it fails
                         (default: the JobManager's, 5 minutes unless configured)
  --from-savepoint PATH  (not available yet: comes with checkpoints)
  --token T              cluster token (default $EDDY_TOKEN)
  --json                 machine-readable output`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals, rest } = parse('run', argv, {
    ...clientOptions,
    parallelism: { type: 'string', short: 'p' },
    detached: { type: 'boolean', short: 'd' },
    'slot-wait-timeout': { type: 'string' },
    'from-savepoint': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const file = positionals[0];
  if (!file) throw new CliError('run: missing the job file', 2);
  if (values['from-savepoint'] !== undefined) throw new CliError('run: --from-savepoint is not available yet (savepoints come with checkpoints)', 2);
  const job = await prepareJob(file, rest, intOption('run', 'parallelism', values.parallelism, 1, 1));
  const slotWaitTimeoutMs = values['slot-wait-timeout'] === undefined ? undefined : intOption('run', 'slot-wait-timeout', values['slot-wait-timeout'], 0, 1);
  if (slotWaitTimeoutMs !== undefined && slotWaitTimeoutMs > 0xffffffff) throw new CliError('run: --slot-wait-timeout must be at most 4294967295 ms', 2);
  const client = new EddyClient({ jobManager: jobManagerAddress(values), token: token(values) });
  try {
    const jobId = await client.submit(job, { slotWaitTimeoutMs });
    if (values.detached) {
      process.stdout.write(values.json ? JSON.stringify({ jobId }) + '\n' : `${jobId}\n`);
      return 0;
    }
    process.stderr.write(`submitted job ${jobId} '${job.graph.name}'\n`);
    return await watchJob(client, jobId, job, values.json === true);
  } catch (e) {
    throw new CliError((e as Error).message);
  } finally {
    client.close();
  }
}

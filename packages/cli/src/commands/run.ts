import { EddyClient } from '@eddy/sdk/client';
import { clientOptions, clientOptionsHelp, DEFAULT_PARALLELISM, intOption, jobManagerAddress, parse, token } from '../args.js';
import { CliError, toCliError } from '../cli-error.js';
import { prepareJob, watchJob } from './submit-and-watch.js';

export const usage = `eddy run <job.ts> [--jobmanager host:port] [-p N] [--detached] [--slot-wait-timeout MS] [--json] [-- job args]

Bundles the job, submits it to a running JobManager and follows it until it ends: exit 0 when it
finishes, 1 when it fails, 130 when it is canceled.

Ctrl-C cancels the job on the cluster and waits until it is canceled; a second Ctrl-C stops waiting
at once (the cancellation goes on). To leave a job running, submit it with --detached.

  -p, --parallelism N    default parallelism of the job's operators (default ${DEFAULT_PARALLELISM})
  -d, --detached         print the job id and return at once; the job keeps running
  --slot-wait-timeout MS how long the job may wait for free slots before it fails
                         (default: the JobManager's, 5 minutes unless configured)
  --from-savepoint PATH  (not available yet: comes with checkpoints)
${clientOptionsHelp}`;

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
  if (!file) throw new CliError("run: missing the job file (see 'eddy run --help')", 2);
  if (values['from-savepoint'] !== undefined) throw new CliError('run: --from-savepoint is not available yet (savepoints come with checkpoints)', 2);
  const parallelism = intOption('run', 'parallelism', values.parallelism, DEFAULT_PARALLELISM, 1);
  const slotWaitTimeoutMs = values['slot-wait-timeout'] === undefined ? undefined : intOption('run', 'slot-wait-timeout', values['slot-wait-timeout'], 0, 1);
  if (slotWaitTimeoutMs !== undefined && slotWaitTimeoutMs > 0xffffffff) throw new CliError('run: --slot-wait-timeout must be at most 4294967295 ms', 2);
  const job = await prepareJob(file, rest, parallelism);
  const client = new EddyClient({ jobManager: jobManagerAddress(values), token: token(values) });
  let jobId: string | undefined;
  let cancelRequested = false;
  const cancel = (id: string): void => {
    process.stderr.write(`\ncanceling job ${id} (Ctrl-C again to stop waiting)\n`);
    client.cancel(id).catch((e: unknown) => process.stderr.write(`eddy: run: cannot cancel job ${id}: ${(e as Error).message}\n`));
  };
  // `once`: after the first Ctrl-C, a second one gets Node's default and ends the process.
  const onSigint = (): void => {
    cancelRequested = true;
    if (jobId !== undefined) cancel(jobId); // else the submission is under way: cancel once it is in
  };
  process.once('SIGINT', onSigint);
  try {
    jobId = await client.submit(job, { slotWaitTimeoutMs });
    if (cancelRequested) cancel(jobId);
    else if (values.detached) {
      process.stdout.write(values.json ? JSON.stringify({ jobId }) + '\n' : `${jobId}\n`);
      return 0;
    }
    process.stderr.write(`submitted job ${jobId} '${job.graph.name}'\n`);
    return await watchJob(client, jobId, job, values.json === true);
  } catch (e) {
    throw toCliError(e);
  } finally {
    process.removeListener('SIGINT', onSigint);
    client.close();
  }
}

/** Shared by `run` and `local`: prepare a job file, submit it, follow it to the end. */
import { basename } from 'node:path';
import { EddyClient, type PreparedJob } from '@eddy/sdk/client';
import { CliError } from '../cli-error.js';
import { failureText, progressLine, statusJson } from '../progress.js';

export async function prepareJob(file: string, args: string[], parallelism: number): Promise<PreparedJob> {
  try {
    return await EddyClient.prepare(file, args, parallelism, basename(file).replace(/\.[cm]?[jt]s$/, ''));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function sinkDescriptions(job: PreparedJob): string[] {
  return job.plan.nodes.filter((n) => n.spec.kind === 'sink').map((n) => (n.spec.kind === 'sink' ? n.spec.sink.describe?.() ?? n.name : n.name));
}

/** Follows the job, printing progress to stderr; returns the exit code (0 only when FINISHED). */
export async function watchJob(client: EddyClient, jobId: string, job: PreparedJob, json: boolean): Promise<number> {
  const started = Date.now();
  let last = 0;
  const onSigint = (): void => {
    process.stderr.write(`\ncanceling job ${jobId} ...\n`);
    client.cancel(jobId).catch(() => undefined);
  };
  process.once('SIGINT', onSigint);
  try {
    const final = await client.waitForTermination(jobId, (s) => {
      if (!json && Date.now() - last >= 1000) {
        last = Date.now();
        process.stderr.write(progressLine(s, started) + '\n');
      }
    });
    if (json) {
      process.stdout.write(JSON.stringify({ ...(statusJson(final) as object), outputs: sinkDescriptions(job) }) + '\n');
    } else {
      process.stderr.write(progressLine(final, started) + '\n');
      if (final.state === 'FINISHED') {
        process.stdout.write(`job ${jobId} finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        for (const d of sinkDescriptions(job)) process.stdout.write(`output: ${d}\n`);
      } else if (final.state === 'FAILED') {
        process.stderr.write(`job ${jobId} failed: ${failureText(final.failure)}\n`);
      } else {
        process.stderr.write(`job ${jobId} ${final.state.toLowerCase()}\n`);
      }
    }
    return final.state === 'FINISHED' ? 0 : final.state === 'CANCELED' ? 130 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Shared by `run` and `local`: prepare a job file, submit it, follow it to the end. */
import { basename } from 'node:path';
import { EddyClient, type JobStatusView, type PreparedJob } from '@eddy/sdk/client';
import { toCliError } from '../cli-error.js';
import { failureText, statusJson } from '../progress.js';
import { ProgressReporter } from '../progress-reporter.js';

export async function prepareJob(file: string, args: string[], parallelism: number): Promise<PreparedJob> {
  try {
    return await EddyClient.prepare(file, args, parallelism, basename(file).replace(/\.[cm]?[jt]s$/, ''));
  } catch (e) {
    throw toCliError(e);
  }
}

export function sinkDescriptions(job: PreparedJob): string[] {
  return job.plan.nodes.filter((n) => n.spec.kind === 'sink').map((n) => (n.spec.kind === 'sink' ? n.spec.sink.describe?.() ?? n.name : n.name));
}

/** The exit code a job's final state gives the CLI: 0 only when FINISHED, 130 (as for SIGINT) when CANCELED. */
export function exitCodeFor(state: string): number {
  return state === 'FINISHED' ? 0 : state === 'CANCELED' ? 130 : 1;
}

/**
 * Follows the job, printing progress to stderr, and returns the exit code. When `interrupted` resolves
 * first, it stops printing and returns that promise's exit code instead (the caller decides what an
 * interrupt does to the job).
 */
export async function watchJob(client: EddyClient, jobId: string, job: PreparedJob, json: boolean, interrupted?: Promise<number>): Promise<number> {
  const progress = new ProgressReporter({ write: (line) => json || process.stderr.write(line + '\n') });
  const ended = client.waitForTermination(jobId, (s) => progress.onStatus(s)).then((s) => ({ final: s }));
  const outcome = await Promise.race([ended, ...(interrupted ? [interrupted.then((code) => ({ code }))] : [])]);
  if ('code' in outcome) {
    progress.stop();
    // the poll ends with an error once the caller closes the client or stops the cluster
    ended.catch(() => undefined);
    return outcome.code;
  }
  report(outcome.final, job, json, progress);
  return exitCodeFor(outcome.final.state);
}

function report(final: JobStatusView, job: PreparedJob, json: boolean, progress: ProgressReporter): void {
  const { jobId } = final;
  if (json) {
    process.stdout.write(JSON.stringify({ ...(statusJson(final) as object), outputs: sinkDescriptions(job) }) + '\n');
    return;
  }
  progress.finish(final);
  if (final.state === 'FINISHED') {
    process.stdout.write(`job ${jobId} finished in ${progress.elapsedSeconds().toFixed(1)} s\n`);
    for (const d of sinkDescriptions(job)) process.stdout.write(`output: ${d}\n`);
  } else if (final.state === 'FAILED') {
    process.stderr.write(`job ${jobId} failed: ${failureText(final.failure)}\n`);
  } else {
    process.stderr.write(`job ${jobId} ${final.state.toLowerCase()}\n`);
  }
}

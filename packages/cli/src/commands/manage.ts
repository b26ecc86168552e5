/** list, status, cancel: thin clients of the Dispatcher. */
import { EddyClient } from '@eddy/sdk/client';
import { clientOptions, jobManagerAddress, parse, token, type Parsed } from '../args.js';
import { CliError } from '../cli-error.js';
import { statusJson, statusText } from '../progress.js';

export const listUsage = `eddy list [--jobmanager host:port] [--json]

Lists the cluster's jobs, newest first.`;
export const statusUsage = `eddy status <job-id> [--jobmanager host:port] [--json]

Shows a job's state, every subtask's state and record counts, and on failure the operator,
subtask and the user's stack trace.`;
export const cancelUsage = `eddy cancel <job-id> [--jobmanager host:port] [--json]

Cancels a running job.`;

async function withClient<T>(v: Parsed['values'], f: (c: EddyClient) => Promise<T>): Promise<T> {
  const client = new EddyClient({ jobManager: jobManagerAddress(v), token: token(v) });
  try {
    return await f(client);
  } catch (e) {
    throw new CliError((e as Error).message);
  } finally {
    client.close();
  }
}

function jobIdArg(cmd: string, p: Parsed): string {
  const id = p.positionals[0];
  if (!id) throw new CliError(`${cmd}: missing the job id (see 'eddy list')`, 2);
  return id;
}

export async function list(argv: string[]): Promise<number> {
  const p = parse('list', argv, clientOptions);
  if (p.values.help) return print(listUsage);
  const res = await withClient(p.values, (c) => c.list());
  if (p.values.json) return print(JSON.stringify(res));
  if (res.length === 0) return print('no jobs');
  return print(res.map((j) => `${j.jobId}  ${j.state.padEnd(9)}  ${new Date(j.startTime).toISOString()}  ${j.name}`).join('\n'));
}

export async function status(argv: string[]): Promise<number> {
  const p = parse('status', argv, clientOptions);
  if (p.values.help) return print(statusUsage);
  const s = await withClient(p.values, (c) => c.status(jobIdArg('status', p)));
  return print(p.values.json ? JSON.stringify(statusJson(s)) : statusText(s));
}

export async function cancel(argv: string[]): Promise<number> {
  const p = parse('cancel', argv, clientOptions);
  if (p.values.help) return print(cancelUsage);
  const id = jobIdArg('cancel', p);
  const res = await withClient(p.values, (c) => c.cancel(id));
  return print(p.values.json ? JSON.stringify({ jobId: id, state: res }) : `job ${id}: ${res}`);
}

function print(s: string): number {
  process.stdout.write(s + '\n');
  return 0;
}

/** list, status, cancel: thin clients of the Dispatcher. */
import { EddyClient } from '@eddy/sdk/client';
import { clientOptions, clientOptionsHelp, jobManagerAddress, parse, token, type Parsed } from '../args.js';
import { CliError, toCliError } from '../cli-error.js';
import { statusJson, statusText } from '../progress.js';

export const listUsage = `eddy list [--jobmanager host:port] [--token T] [--json]

Lists the cluster's jobs, newest first.

${clientOptionsHelp}`;
export const statusUsage = `eddy status <job-id> [--jobmanager host:port] [--token T] [--json]

Shows a job's state, every subtask's state and record counts, and on failure the operator,
subtask and the user's stack trace.

${clientOptionsHelp}`;
export const cancelUsage = `eddy cancel <job-id> [--jobmanager host:port] [--token T] [--json]

Cancels a running job and prints its state after the request (CANCELING, or how it ended).

${clientOptionsHelp}`;

async function withClient<T>(v: Parsed['values'], f: (c: EddyClient) => Promise<T>): Promise<T> {
  const client = new EddyClient({ jobManager: jobManagerAddress(v), token: token(v) });
  try {
    return await f(client);
  } catch (e) {
    throw toCliError(e);
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
  const id = jobIdArg('status', p);
  const s = await withClient(p.values, (c) => c.status(id));
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

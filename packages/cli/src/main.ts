#!/usr/bin/env node
/** The `eddy` command. */
import { readFileSync } from 'node:fs';
import { JsonLogger, routeGrpcLogs } from '@eddy/common';
import { clientOptionsHelp } from './args.js';
import { CliError } from './cli-error.js';
import * as local from './commands/local.js';
import * as nexmark from './commands/nexmark.js';
import * as manage from './commands/manage.js';
import * as runCmd from './commands/run.js';
import * as servers from './commands/servers.js';

// User stack traces point into the job's TypeScript source, not the bundle.
process.setSourceMapsEnabled(true);
// grpc-js's own log lines would land on the user's terminal (see grpc-logging.ts).
routeGrpcLogs(new JsonLogger({ component: 'grpc' }));

interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const notYet = (name: string, what: string): Command => ({
  summary: `${what} (not available yet: comes with checkpoints)`,
  run: async (argv) => {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`eddy ${name} <job-id> [--jobmanager host:port] [--token T] [--json]\n\n${what[0]!.toUpperCase()}${what.slice(1)}. Not available yet: it comes with checkpoints.\n\n${clientOptionsHelp}\n`);
      return 0;
    }
    throw new CliError(`${name}: not available yet (savepoints come with checkpoints)`, 2);
  },
});

const COMMANDS: Record<string, Command> = {
  local: { summary: 'run a job on an embedded local cluster', run: local.run },
  jobmanager: { summary: 'run the JobManager', run: servers.jobmanager },
  taskmanager: { summary: 'run a TaskManager', run: servers.taskmanager },
  run: { summary: 'submit a job to a cluster and follow it', run: runCmd.run },
  list: { summary: "list the cluster's jobs", run: manage.list },
  status: { summary: "show a job's status", run: manage.status },
  cancel: { summary: 'cancel a job', run: manage.cancel },
  nexmark: { summary: 'print the Nexmark benchmark stream as JSON lines', run: nexmark.run },
  savepoint: notYet('savepoint', 'take a savepoint of a job'),
  stop: notYet('stop', 'stop a job with a savepoint'),
};

const USAGE = `usage: eddy <command> [options]

${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`).join('\n')}

Run 'eddy <command> --help' for a command's options.`;

/** The version of the installed @eddy/cli package (lib/main.js sits one level below its package.json). */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`eddy ${version()}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new CliError(`unknown command '${name}' (run 'eddy --help')`, 2);
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as { name?: string; message?: string; exitCode?: number };
    process.stderr.write(`eddy: ${err.message ?? String(e)}\n`);
    process.exitCode = err.name === 'CliError' ? err.exitCode ?? 1 : 1;
  },
);

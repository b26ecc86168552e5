/** Argument parsing on node:util parseArgs, with usage errors as CliErrors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Everything after `--`: the job's own arguments. */
  rest: string[];
}

export function parse(command: string, argv: string[], options: Options): Parsed {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const rest = dash >= 0 ? argv.slice(dash + 1) : [];
  try {
    const { values, positionals } = parseArgs({ args: own, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals, rest };
  } catch (e) {
    throw new CliError(`${command}: ${(e as Error).message.split('\n')[0]} (see 'eddy ${command} --help')`, 2);
  }
}

export function intOption(command: string, name: string, v: string | boolean | undefined, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) {
    throw new CliError(`${command}: --${name} must be an integer >= ${min}, got '${String(v)}'`, 2);
  }
  return n;
}

export function stringOption(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export const clientOptions: Options = {
  jobmanager: { type: 'string', short: 'm' },
  token: { type: 'string' },
  json: { type: 'boolean' },
};

export function jobManagerAddress(v: Parsed['values']): string {
  return stringOption(v.jobmanager) ?? process.env.EDDY_JOBMANAGER ?? '127.0.0.1:6123';
}

export function token(v: Parsed['values']): string | undefined {
  return stringOption(v.token) ?? process.env.EDDY_TOKEN;
}

/** Argument parsing on node:util parseArgs, with usage errors as CliErrors (exit code 2). */
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
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(own, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals, rest };
  } catch (e) {
    throw new CliError(`${command}: ${(e as Error).message.split('\n')[0]} (see 'eddy ${command} --help')`, 2);
  }
}

/**
 * parseArgs reads `-p -1` as an option with no value followed by option `-1`, and says only that the
 * argument is "ambiguous". A value that looks like a negative number is what the user meant, so it is
 * joined to its option (`--parallelism=-1`) and the option's own check can say what is wrong with it.
 */
function joinNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = stringOptionNamed(arg, options);
    if (name !== undefined && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function stringOptionNamed(arg: string, options: Options): string | undefined {
  for (const [name, o] of Object.entries(options)) {
    if (o.type === 'string' && (arg === `--${name}` || (o.short !== undefined && arg === `-${o.short}`))) return name;
  }
  return undefined;
}

export function intOption(command: string, name: string, v: string | boolean | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new CliError(`${command}: --${name} must be an integer ${range}, got '${String(v)}'`, 2);
  }
  return n;
}

export function portOption(command: string, name: string, v: string | boolean | undefined, fallback: number): number {
  return intOption(command, name, v, fallback, 0, 65535);
}

export function stringOption(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The default parallelism of `eddy local` and `eddy run`, as Flink's `parallelism.default`. */
export const DEFAULT_PARALLELISM = 1;

export const clientOptions: Options = {
  jobmanager: { type: 'string', short: 'm' },
  token: { type: 'string' },
  json: { type: 'boolean' },
};

/** The --help lines of clientOptions, shared by every client command. */
export const clientOptionsHelp = `  -m, --jobmanager H:P   JobManager address (default $EDDY_JOBMANAGER, else 127.0.0.1:6123)
  --token T              cluster token, when the cluster requires one (default $EDDY_TOKEN)
  --json                 machine-readable output on stdout`;

export function jobManagerAddress(v: Parsed['values']): string {
  return stringOption(v.jobmanager) ?? process.env.EDDY_JOBMANAGER ?? '127.0.0.1:6123';
}

export function token(v: Parsed['values']): string | undefined {
  return stringOption(v.token) ?? process.env.EDDY_TOKEN;
}

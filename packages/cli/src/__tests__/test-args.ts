import test from 'ava';
import { intOption, parse, portOption } from '../args.js';
import { CliError, toCliError } from '../cli-error.js';

test('args: job arguments after -- are kept apart from the command options', (t) => {
  const p = parse('run', ['job.ts', '-p', '3', '--', '--input', 'x'], { parallelism: { type: 'string', short: 'p' } });
  t.deepEqual(p.positionals, ['job.ts']);
  t.is(p.values.parallelism, '3');
  t.deepEqual(p.rest, ['--input', 'x']);
});

test('args: unknown options and bad integers are usage errors (exit code 2) that point to --help', (t) => {
  const e = t.throws(() => parse('list', ['--nope'], {})) as Error & { exitCode: number };
  t.is(e.exitCode, 2);
  t.regex(e.message, /see 'eddy list --help'/);
  const bad = t.throws(() => intOption('local', 'parallelism', '0', 1, 1)) as Error & { exitCode: number };
  t.is(bad.exitCode, 2);
  t.regex(bad.message, /--parallelism must be an integer >= 1, got '0'/);
  t.is(intOption('local', 'parallelism', undefined, 2, 1), 2);
});

test('args: a negative number after an option is its value, so the option says what is wrong with it', (t) => {
  const opts = { parallelism: { type: 'string', short: 'p' }, verbose: { type: 'boolean', short: 'v' } } as const;
  t.is(parse('local', ['job.ts', '-p', '-1'], opts).values.parallelism, '-1');
  t.is(parse('local', ['job.ts', '--parallelism', '-2'], opts).values.parallelism, '-2');
  const e = t.throws(() => intOption('local', 'parallelism', '-1', 1, 1)) as Error & { exitCode: number };
  t.is(e.exitCode, 2);
  t.is(e.message, "local: --parallelism must be an integer >= 1, got '-1'");
  // a boolean option takes no value: what follows it is not joined to it
  t.throws(() => parse('local', ['job.ts', '-v', '-1'], opts), { message: /Unknown option '-1'/ });
});

test('args: ports are integers from 0 to 65535; an empty value is not 0', (t) => {
  t.is(portOption('jobmanager', 'port', '6123', 1), 6123);
  t.throws(() => portOption('jobmanager', 'port', '65536', 1), { message: "jobmanager: --port must be an integer from 0 to 65535, got '65536'" });
  t.throws(() => portOption('jobmanager', 'port', '', 1), { message: /--port must be an integer/ });
});

test('cli-error: a CliError keeps its exit code and prefix; other errors are prefixed once', (t) => {
  const usage = new CliError('jobmanager: --port must be an integer', 2);
  t.is(toCliError(usage, 'jobmanager'), usage);
  t.is(toCliError(new Error('cannot listen'), 'jobmanager').message, 'jobmanager: cannot listen');
  t.is(toCliError(new Error('jobmanager: cannot listen'), 'jobmanager').message, 'jobmanager: cannot listen');
  t.is(toCliError(new Error('x')).exitCode, 1);
});

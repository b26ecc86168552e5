import test from 'ava';
import { intOption, parse } from '../args.js';

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

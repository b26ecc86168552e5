import test from 'ava';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliMain, repoRoot } from './helpers/cluster.js';

const exec = promisify(execFile);

test('eddy nexmark prints the specified stream: the first 60 events of seed 42 equal the test vector byte for byte', async (t) => {
  const { stdout } = await exec(process.execPath, [cliMain, 'nexmark', '--events', '60']);
  t.is(stdout, readFileSync(join(repoRoot, 'test/vectors/nexmark-seed42-first60.jsonl'), 'utf8'));
});

test('eddy nexmark continues from --first and rejects a missing event count', async (t) => {
  const { stdout } = await exec(process.execPath, [cliMain, 'nexmark', '--events', '10', '--first', '50']);
  const vector = readFileSync(join(repoRoot, 'test/vectors/nexmark-seed42-first60.jsonl'), 'utf8').split('\n').slice(50, 60);
  t.deepEqual(stdout.trim().split('\n'), vector);
  const e = await t.throwsAsync(exec(process.execPath, [cliMain, 'nexmark']));
  t.regex((e as unknown as { stderr: string }).stderr, /--events N is required/);
});

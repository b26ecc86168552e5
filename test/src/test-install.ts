/**
 * The CLI installed the way README's "Install the CLI" says: each workspace package packed with
 * `npm pack`, the tarballs installed with `npm install -g --prefix`, and `eddy` run from a directory
 * outside the repository on a job file that imports '@eddy/sdk' with no node_modules beside it.
 */
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { repoRoot } from './helpers/cluster.js';
import { runCommand } from './helpers/eddy-cli.js';

const PACKAGES = ['proto', 'common', 'sdk', 'jobmanager', 'taskmanager', 'cli'];

/** True when `dir` or a directory above it has a node_modules, which Node would resolve from. */
function belowNodeModules(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return true;
    if (dirname(d) === d) return false;
  }
}

/** A fresh directory that nothing of the repository can leak into (TMPDIR may point into it). */
function outsideDir(): string {
  for (const base of [tmpdir(), '/tmp']) {
    const real = existsSync(base) ? realpathSync(base) : undefined;
    if (real === undefined || belowNodeModules(real) || !relative(repoRoot, real).startsWith('..')) continue;
    return mkdtempSync(join(real, 'eddy-install-'));
  }
  throw new Error('no temporary directory outside the repository');
}

// `npm test` hands npm's own settings down as npm_* variables (among them the repository as the
// project); the installing npm must see only the user's registry, cache and proxy settings.
const KEEP = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy']);
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') || KEEP.has(k.toLowerCase())));
  return { ...env, ...extra };
}

const JOB = `import { defineJob } from '@eddy/sdk';
import { greeting } from './greeting.ts';

export default defineJob((env, args) => {
  env.fromCollection(args).map((name: string) => greeting(name)).print();
});
`;

test('install: the packed packages installed with npm install -g run eddy local on a job outside the repository', async (t) => {
  t.timeout(100_000);
  const dir = outsideDir();
  try {
    const tarballs = join(dir, 'tarballs');
    const prefix = join(dir, 'prefix');
    const jobDir = join(dir, 'job');
    mkdirSync(tarballs);
    mkdirSync(join(dir, 'tmp'));
    mkdirSync(jobDir);
    const env = cleanEnv({ PATH: [join(prefix, 'bin'), dirname(process.execPath), process.env.PATH].join(delimiter), TMPDIR: join(dir, 'tmp') });

    const pack = await runCommand('npm', ['pack', '--silent', '--pack-destination', tarballs, ...PACKAGES.flatMap((p) => ['-w', `packages/${p}`])], { cwd: repoRoot, env });
    t.is(pack.code, 0, pack.stderr);
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    t.is(files.length, PACKAGES.length);
    const install = await runCommand('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: dir, env, timeoutMs: 80_000 });
    t.is(install.code, 0, install.stderr);

    // the framework is installed once: the CLI, JobManager and TaskManager share one @eddy/sdk and @eddy/common
    const installed = join(prefix, 'lib', 'node_modules', '@eddy');
    t.deepEqual(readdirSync(installed).sort(), [...PACKAGES].sort());
    for (const p of PACKAGES) t.false(existsSync(join(installed, p, 'node_modules', '@eddy')), `${p} has its own copy of Eddy`);
    t.false(existsSync(join(installed, 'cli', 'lib', '__tests__')));

    const eddyBin = join(prefix, 'bin', 'eddy');
    const version = await runCommand(eddyBin, ['--version'], { cwd: jobDir, env });
    const cliVersion = (JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    t.is(version.stdout, `eddy ${cliVersion}\n`, version.stderr);

    writeFileSync(join(jobDir, 'count.ts'), JOB);
    writeFileSync(join(jobDir, 'greeting.ts'), 'export const greeting = (name: string): string => `hello ${name}`;\n');
    const run = await runCommand(eddyBin, ['local', 'count.ts', '-p', '1', '--', 'ada', 'grace'], { cwd: jobDir, env, timeoutMs: 60_000 });
    t.is(run.code, 0, run.stderr);
    t.deepEqual(run.stdout.split('\n').filter((l) => l.startsWith('hello ')).sort(), ['hello ada', 'hello grace']);
    t.regex(run.stdout, /^job \w+ finished in [\d.]+ s$/m);
    t.regex(run.stderr, /FINISHED .*\[1\/1 finished\]/);
    t.regex(run.stderr, new RegExp(`logs in ${(jobDir + sep + '.eddy' + sep + 'local').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Two installations of Eddy on one machine (two checkouts, or an upgrade that reuses a data directory)
 * load the same artifact bytes. Each must link the artifact to its own provided packages, and removing
 * one installation must not break the other. Every load runs in a fresh `node` process, as the CLI, the
 * JobManager and the TaskManager do, so no module cache hides what is on disk.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleJob } from '../bundle.js';

const exec = promisify(execFile);
const sdkDir = fileURLToPath(new URL('../../..', import.meta.url));
const commonDir = dirname(createRequire(import.meta.url).resolve('@eddy/common/package.json'));
const esbuildDir = dirname(createRequire(import.meta.url).resolve('esbuild/package.json'));

// The job throws from inside plan(), so the stack shows which copy of the SDK ran defineJob().
const JOB = `import { defineJob } from '@eddy/sdk';
export default defineJob((env, args) => {
  if (args[0] === 'where') throw new Error('which sdk');
  env.fromElements(1).print();
});
`;

// Loads the artifact the way a client ('client': from bytes, cached under $TMPDIR) or a cluster
// process ('stored': an artifact file in its data directory) does, and prints the stack of plan().
const LOADER = `import { readFileSync } from 'node:fs';
import { importJobArtifact } from '@eddy/common';
import { loadJobModule } from '@eddy/sdk/client';
const [how, path] = process.argv.slice(2);
const job = how === 'client' ? await loadJobModule(readFileSync(path)) : (await importJobArtifact(path, (s) => import.meta.resolve(s))).default;
try { job.plan(['where'], { defaultParallelism: 1 }); } catch (e) { process.stdout.write(e.stack); }
`;

/** An installation: its own copy of @eddy/sdk; @eddy/common and esbuild linked to the real ones. */
function install(root: string, name: string): string {
  const dir = join(root, name);
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@eddy'), { recursive: true });
  cpSync(join(sdkDir, 'package.json'), join(modules, '@eddy/sdk/package.json'));
  cpSync(join(sdkDir, 'lib'), join(modules, '@eddy/sdk/lib'), { recursive: true, filter: (f) => !f.includes('__tests__') });
  symlinkSync(commonDir, join(modules, '@eddy/common'), 'dir');
  symlinkSync(esbuildDir, join(modules, 'esbuild'), 'dir');
  writeFileSync(join(dir, 'load.mjs'), LOADER);
  return dir;
}

async function setup(t: { teardown(f: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'eddy-installs-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const a = install(root, 'install-a');
  const b = install(root, 'install-b');
  writeFileSync(join(root, 'job.ts'), JOB);
  const artifact = join(root, 'artifact.mjs');
  writeFileSync(artifact, await bundleJob(join(root, 'job.ts')));
  const sharedTmp = join(root, 'tmp');
  mkdirSync(sharedTmp);
  // Both installations share one $TMPDIR, as two checkouts of one user do.
  const load = async (installation: string, how: 'client' | 'stored', file: string): Promise<string> => {
    const { stdout } = await exec(process.execPath, [join(installation, 'load.mjs'), how, file], { env: { ...process.env, TMPDIR: sharedTmp } });
    return stdout;
  };
  return { root, a, b, artifact, load };
}

const sdkOf = (installation: string): string => join(installation, 'node_modules/@eddy/sdk/');

test('load-job: a client links a cached artifact to its own installation, which survives the other one being removed', async (t) => {
  const { a, b, artifact, load } = await setup(t);
  t.true((await load(a, 'client', artifact)).includes(sdkOf(a)));
  const second = await load(b, 'client', artifact);
  t.true(second.includes(sdkOf(b)), second);
  t.false(second.includes(sdkOf(a)), second);
  rmSync(a, { recursive: true, force: true });
  const afterRemoval = await load(b, 'client', artifact);
  t.true(afterRemoval.includes(sdkOf(b)), afterRemoval);
});

test('load-job: a stored artifact in a data directory reused by another installation is linked to that installation', async (t) => {
  const { root, a, b, artifact, load } = await setup(t);
  const stored = join(root, 'data', 'artifact.mjs');
  mkdirSync(dirname(stored));
  cpSync(artifact, stored);
  t.true((await load(a, 'stored', stored)).includes(sdkOf(a)));
  rmSync(a, { recursive: true, force: true });
  const upgraded = await load(b, 'stored', stored);
  t.true(upgraded.includes(sdkOf(b)), upgraded);
});

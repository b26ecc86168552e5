/**
 * Bundles a job module and everything it imports, except Eddy's own packages, into one ESM file: the
 * artifact the JobManager stores and every TaskManager loads, like a Flink job jar. `@eddy/*` imports
 * stay imports, linked to the loading process's installed copy (job-artifact.ts), so a job file needs
 * no Eddy in a node_modules of its own.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROVIDED_PACKAGES, ValidationError } from '@eddy/common';

export async function bundleJob(entry: string): Promise<Uint8Array> {
  const file = resolve(entry);
  if (!existsSync(file)) throw new ValidationError(`job file not found: ${entry}`);
  const workingDir = process.cwd();
  let result;
  try {
    result = await build({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      sourcemap: 'inline',
      // With no output file, the map names sources relative to the working directory; Node would resolve
      // them against wherever the artifact is loaded from (a TaskManager's data directory). A root makes
      // stack traces name the job file where it was bundled.
      absWorkingDir: workingDir,
      sourceRoot: `${pathToFileURL(workingDir).href}/`,
      // the framework is provided by the cluster (and linked at load time), not bundled: see job-artifact.ts
      external: PROVIDED_PACKAGES,
      // Node built-ins loaded through require() inside bundled CommonJS need a real require.
      banner: { js: "import { createRequire as __eddyCreateRequire } from 'node:module'; const require = __eddyCreateRequire(import.meta.url);" },
    });
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors ?? [];
    const first = errors[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
    throw new ValidationError(`cannot bundle ${entry}: ${where}${first?.text ?? (e as Error).message}`);
  }
  const out = result.outputFiles[0];
  if (!out) throw new ValidationError(`cannot bundle ${entry}: no output`);
  return out.contents;
}

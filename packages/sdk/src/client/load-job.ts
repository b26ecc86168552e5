/**
 * Loads an artifact (bundled job module) and checks it honours the job-module contract. The artifact is
 * cached under `dir` by the digest of its bytes; what it is linked to is kept per installation by
 * importJobArtifact, so a cache shared by several installations of Eddy (one $TMPDIR) is safe.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJobArtifact, isJobModule, ValidationError, writeFileAtomic, type JobModule } from '@eddy/common';

export async function loadJobModule(artifact: Uint8Array, dir = join(tmpdir(), 'eddy-artifacts')): Promise<JobModule> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(artifact).digest('hex').slice(0, 24)}.mjs`);
  if (!existsSync(file)) writeFileAtomic(file, artifact);
  let mod: { default?: unknown };
  try {
    mod = await importJobArtifact(file, (s) => import.meta.resolve(s));
  } catch (e) {
    throw new ValidationError(`the job module failed to load: ${(e as Error).message}`);
  }
  if (!isJobModule(mod.default)) {
    throw new ValidationError('the job module has no default export built with defineJob(): write `export default defineJob((env, args) => { ... })`');
  }
  return mod.default;
}

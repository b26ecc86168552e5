/**
 * Job artifacts are the user's job module bundled with its own dependencies, but not with Eddy's:
 * `@eddy/sdk` and `@eddy/common` are provided by the process that runs the job (like Flink's
 * "provided" dependencies). So the framework code runs as it was compiled, one copy per process, and
 * the artifact stays small. Before an artifact is imported, its imports of the provided packages are
 * linked to the running process's copies (absolute URLs), since the artifact's own location has no
 * node_modules to resolve them from.
 *
 * The linked copy embeds absolute paths of one installation, so it is named by a digest of its own
 * content: two installations (two checkouts, or an upgrade that keeps a data directory) loading the
 * same artifact file get two linked copies, each pointing at its own packages, and never each other's.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from './atomic-file.js';

/** esbuild `external` patterns of the provided packages. */
export const PROVIDED_PACKAGES = ['@eddy/*'];

// Static imports/re-exports (`from "x"`), bare imports (`import "x"`) and dynamic `import("x")` of a provided package.
const PROVIDED_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(@eddy\/[a-z0-9-]+(?:\/[\w./-]+)?)\2/g;

/** The artifact's source with each import of a provided package replaced by `resolve(specifier)`. */
export function linkArtifact(source: string, resolve: (specifier: string) => string): string {
  return source.replace(PROVIDED_IMPORT, (_m, lead: string, _q: string, specifier: string) => `${lead}${JSON.stringify(resolve(specifier))}`);
}

/** Where the artifact at `file` linked to one installation is written: beside it, named by its content. */
function linkedArtifactPath(file: string, linkedSource: string): string {
  return `${file}.${createHash('sha256').update(linkedSource).digest('hex').slice(0, 16)}.linked.mjs`;
}

/**
 * Imports the artifact at `file` linked against the caller's provided packages (`resolve` is the
 * caller's `import.meta.resolve`); the linked copy is written beside it once per installation.
 */
export async function importJobArtifact(file: string, resolve: (specifier: string) => string): Promise<{ default?: unknown }> {
  const source = linkArtifact(readFileSync(file, 'utf8'), resolve);
  const linked = linkedArtifactPath(file, source);
  if (!existsSync(linked)) writeFileAtomic(linked, source);
  // Loading an artifact runs user code: its stack traces must name the job file (the bundle's inline
  // source map) in every process and thread, whether or not it was started with --enable-source-maps.
  // The setting is per thread (a slot worker does not inherit the main thread's) and covers modules
  // loaded after it, so it is made here, just before the import.
  process.setSourceMapsEnabled(true);
  return (await import(pathToFileURL(linked).href)) as { default?: unknown };
}

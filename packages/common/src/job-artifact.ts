/**
 * Job artifacts are the user's job module bundled with its own dependencies, but not with Eddy's:
 * `@eddy/sdk` and `@eddy/common` are provided by the process that runs the job (like Flink's
 * "provided" dependencies). So the framework code runs as it was compiled, one copy per process, and
 * the artifact stays small. Before an artifact is imported, its imports of the provided packages are
 * linked to the running process's copies (absolute URLs), since the artifact's own location has no
 * node_modules to resolve them from.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** esbuild `external` patterns of the provided packages. */
export const PROVIDED_PACKAGES = ['@eddy/*'];

// Static imports/re-exports (`from "x"`), bare imports (`import "x"`) and dynamic `import("x")` of a provided package.
const PROVIDED_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(@eddy\/[a-z0-9-]+(?:\/[\w./-]+)?)\2/g;

/** The artifact's source with each import of a provided package replaced by `resolve(specifier)`. */
export function linkArtifact(source: string, resolve: (specifier: string) => string): string {
  return source.replace(PROVIDED_IMPORT, (_m, lead: string, _q: string, specifier: string) => `${lead}${JSON.stringify(resolve(specifier))}`);
}

/**
 * Imports the artifact at `file` linked against the caller's provided packages (`resolve` is the
 * caller's `import.meta.resolve`); the linked copy is written beside it once.
 */
export async function importJobArtifact(file: string, resolve: (specifier: string) => string): Promise<{ default?: unknown }> {
  const linked = `${file}.linked.mjs`;
  if (!existsSync(linked)) writeFileSync(linked, linkArtifact(readFileSync(file, 'utf8'), resolve));
  return (await import(pathToFileURL(linked).href)) as { default?: unknown };
}

/**
 * The only way a TaskManager deletes files: `removeInside(root, path)` removes `path` (recursively)
 * only when it lies strictly inside `root`, both as written and after resolving symbolic links on the
 * way to it, so neither a crafted id nor a linked folder can make cleanup reach outside the data
 * directory. A link at `path` itself is removed as a link; what it points at is left alone.
 */
import { realpath, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { IllegalStateError } from '@eddy/common';

const refuse = (path: string, root: string): IllegalStateError => new IllegalStateError(`refusing to remove ${path}: it is not inside ${root}`);

function isStrictlyInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Removes `path` below `root`; a missing path is not an error. */
export async function removeInside(root: string, path: string): Promise<void> {
  const base = resolve(root);
  const target = resolve(path);
  if (!isStrictlyInside(base, target)) throw refuse(target, base);
  let realParent: string;
  try {
    realParent = await realpath(dirname(target));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!isStrictlyInside(await realpath(base), join(realParent, basename(target)))) throw refuse(target, base);
  await rm(target, { recursive: true, force: true });
}

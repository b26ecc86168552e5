/**
 * A window's state and timers are scoped by the namespace `${start}:${end}`; timers carry only that
 * string, so firing rebuilds the window from it through the assigner (which makes the user-visible
 * window objects).
 */
import type { TimeWindowLike, WindowAssigner } from '@eddy/common';

// Records of a stream fall into few distinct windows at a time: remember their namespaces, because
// formatting two 13-digit numbers per window and record dominated windowed jobs' profiles, and a
// reused string keeps its hash for the Map lookups of state and timers.
const MEMO_LIMIT = 4096;
const memo = new Map<number, { end: number; ns: string }>();

export function windowNamespace(w: TimeWindowLike): string {
  const hit = memo.get(w.start);
  if (hit !== undefined && hit.end === w.end) return hit.ns;
  const ns = `${w.start}:${w.end}`;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(w.start, { end: w.end, ns });
  return ns;
}

export function windowOfNamespace(assigner: WindowAssigner, namespace: string): TimeWindowLike {
  const i = namespace.indexOf(':', 1); // a negative start begins with '-', never with ':'
  const start = Number(namespace.slice(0, i));
  const end = Number(namespace.slice(i + 1));
  if (i < 0 || Number.isNaN(start) || Number.isNaN(end)) throw new Error(`'${namespace}' is not a window namespace`);
  return assigner.window(start, end);
}

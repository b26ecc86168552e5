/**
 * A window's state and timers are scoped by the namespace `${start}:${end}`; timers carry only that
 * string, so firing rebuilds the window from it through the assigner (which makes the user-visible
 * window objects).
 */
import type { TimeWindowLike, WindowAssigner } from '@eddy/common';

export function windowNamespace(w: TimeWindowLike): string {
  return `${w.start}:${w.end}`;
}

export function windowOfNamespace(assigner: WindowAssigner, namespace: string): TimeWindowLike {
  const i = namespace.indexOf(':', 1); // a negative start begins with '-', never with ':'
  const start = Number(namespace.slice(0, i));
  const end = Number(namespace.slice(i + 1));
  if (i < 0 || Number.isNaN(start) || Number.isNaN(end)) throw new Error(`'${namespace}' is not a window namespace`);
  return assigner.window(start, end);
}

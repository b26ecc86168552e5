/**
 * The session windows of one key (Flink's MergingWindowSet). Each window in flight maps to its state
 * window: the namespace its contents are actually stored under. When windows merge, the result keeps
 * the state window of one of them and the others' state is merged into it, so the contents of a
 * growing session never move. Windows that overlap or touch (start <= other.end) merge.
 *
 * Kept in a ValueState (namespace '') per key as a flat array [start, end, stateStart, stateEnd, ...].
 */
import type { TimeWindowLike, WindowAssigner } from '@eddy/common';
import type { InternalValueState } from '../../state/keyed-state-backend.js';
import { windowNamespace } from './window-namespace.js';

/** Called when `mergedWindows` became `result`; merge the contents of `mergedStateWindows` into `stateResult`. */
export type MergeFunction = (
  result: TimeWindowLike,
  mergedWindows: readonly TimeWindowLike[],
  stateResult: TimeWindowLike,
  mergedStateWindows: readonly TimeWindowLike[],
) => void;

interface Entry {
  readonly window: TimeWindowLike;
  readonly state: TimeWindowLike;
}

export class MergingWindowSet {
  private readonly mapping = new Map<string, Entry>();
  private changed = false;

  private constructor(
    private readonly assigner: WindowAssigner,
    private readonly store: InternalValueState<number[]>,
  ) {}

  /** Reads the set of the backend's current key. */
  static load(assigner: WindowAssigner, store: InternalValueState<number[]>): MergingWindowSet {
    const set = new MergingWindowSet(assigner, store);
    store.setNamespace('');
    const flat = store.value() ?? [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      const window = assigner.window(flat[i]!, flat[i + 1]!);
      set.mapping.set(windowNamespace(window), { window, state: assigner.window(flat[i + 2]!, flat[i + 3]!) });
    }
    return set;
  }

  get size(): number {
    return this.mapping.size;
  }

  windows(): TimeWindowLike[] {
    return [...this.mapping.values()].map((e) => e.window);
  }

  getStateWindow(window: TimeWindowLike): TimeWindowLike | undefined {
    return this.mapping.get(windowNamespace(window))?.state;
  }

  /** The window is gone (cleaned up, or late on arrival). */
  retireWindow(window: TimeWindowLike): void {
    if (!this.mapping.delete(windowNamespace(window))) throw new Error(`window ${windowNamespace(window)} is not in flight`);
    this.changed = true;
  }

  /**
   * Adds a new window, merging it with the windows it overlaps (which may bridge several sessions).
   * Returns the window the new one now belongs to.
   */
  addWindow(newWindow: TimeWindowLike, merge: MergeFunction): TimeWindowLike {
    const newNs = windowNamespace(newWindow);
    const existing = this.mapping.get(newNs);
    if (existing) return existing.window; // the same window again: nothing merges that did not before
    this.changed = true;
    const all = [...this.mapping.values()].map((e) => e.window);
    all.push(newWindow);
    let result = newWindow;
    let mergedNew = false;
    for (const { cover, members } of mergeTimeWindows(this.assigner, all)) {
      const mergedWindows = members.filter((w) => windowNamespace(w) !== newNs);
      if (mergedWindows.length < members.length) {
        mergedNew = true;
        result = cover;
      }
      const stateResult = this.mapping.get(windowNamespace(mergedWindows[0]!))!.state;
      const mergedStateWindows: TimeWindowLike[] = [];
      for (const w of mergedWindows) {
        const ns = windowNamespace(w);
        mergedStateWindows.push(this.mapping.get(ns)!.state);
        this.mapping.delete(ns);
      }
      this.mapping.set(windowNamespace(cover), { window: cover, state: stateResult });
      const others = mergedStateWindows.filter((s) => windowNamespace(s) !== windowNamespace(stateResult));
      // A new window inside one existing window extends nothing: no state or trigger to merge.
      if (!(mergedWindows.length === 1 && windowNamespace(mergedWindows[0]!) === windowNamespace(cover))) {
        merge(cover, mergedWindows, stateResult, others);
      }
    }
    if (!mergedNew) this.mapping.set(newNs, { window: newWindow, state: newWindow });
    return result;
  }

  /** Writes the set back when it changed. */
  persist(): void {
    if (!this.changed) return;
    this.store.setNamespace('');
    if (this.mapping.size === 0) {
      this.store.clear();
    } else {
      const flat: number[] = [];
      for (const { window, state } of this.mapping.values()) flat.push(window.start, window.end, state.start, state.end);
      this.store.update(flat);
    }
    this.changed = false;
  }
}

/** Groups of two or more windows that overlap or touch, each with the window that covers them. */
export function mergeTimeWindows(
  assigner: WindowAssigner,
  windows: readonly TimeWindowLike[],
): { cover: TimeWindowLike; members: TimeWindowLike[] }[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start || a.end - b.end);
  const groups: { start: number; end: number; members: TimeWindowLike[] }[] = [];
  for (const w of sorted) {
    const last = groups[groups.length - 1];
    if (last && w.start <= last.end) {
      last.end = Math.max(last.end, w.end);
      last.members.push(w);
    } else {
      groups.push({ start: w.start, end: w.end, members: [w] });
    }
  }
  return groups.filter((g) => g.members.length > 1).map((g) => ({ cover: assigner.window(g.start, g.end), members: g.members }));
}

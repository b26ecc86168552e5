/**
 * A stride split: subtask `index` of `of` reads elements index, index+of, index+2*of, ... Used by the
 * collection, generator and Nexmark sources, whose records are re-created from code in every process,
 * so a split's position is one number and a checkpoint of it is tiny.
 */
import type { SplitAssignment, SplitEnumerator, SplitEnumeratorContext } from '@eddy/common';
import { SourceRestoreError } from '../errors.js';

export interface StrideSplit {
  readonly index: number;
  readonly of: number;
  /** First position (in strides) not yet read: the next element is index + next * of. */
  readonly next: number;
}

/** What a stride enumerator checkpoints: the splits it has not handed out. */
export interface StrideEnumeratorState {
  readonly v: 1;
  readonly pending: readonly StrideSplit[];
}

/**
 * Hands each subtask its stride split, then says no more. A split belongs to subtask
 * `index % parallelism`: on restore at the same parallelism that is its old subtask, and after a
 * change of parallelism every split still has exactly one owner.
 */
export class StrideSplitEnumerator implements SplitEnumerator<StrideSplit, StrideEnumeratorState> {
  private readonly pending = new Map<number, StrideSplit[]>();

  constructor(
    private readonly parallelism: number,
    pending: readonly StrideSplit[] = Array.from({ length: parallelism }, (_, i) => ({ index: i, of: parallelism, next: 0 })),
  ) {
    for (const split of pending) this.queueOf(split.index % parallelism).push(split);
  }

  /** The enumerator a checkpoint recorded; `source` names the source in errors. */
  static restore(ctx: SplitEnumeratorContext, state: unknown, source: string): StrideSplitEnumerator {
    const s = state as Partial<StrideEnumeratorState> | null;
    if (typeof s !== 'object' || s === null || s.v !== 1 || !Array.isArray(s.pending)) {
      throw new SourceRestoreError(source, 'the enumerator state is not a stride enumerator state of version 1');
    }
    return new StrideSplitEnumerator(ctx.parallelism, s.pending.map((p) => checkStrideSplit(p, source)));
  }

  nextSplit(subtask: number): SplitAssignment<StrideSplit> {
    const split = this.pending.get(subtask)?.shift();
    return split === undefined ? { kind: 'no-more' } : { kind: 'split', split };
  }

  snapshotState(): StrideEnumeratorState {
    return { v: 1, pending: [...this.pending.values()].flat() };
  }

  /** The splits go back to the failed subtask, which asks for them again when it restarts. */
  addSplitsBack(splits: readonly StrideSplit[], subtask: number): void {
    this.queueOf(subtask).unshift(...splits);
  }

  private queueOf(subtask: number): StrideSplit[] {
    let q = this.pending.get(subtask);
    if (!q) this.pending.set(subtask, (q = []));
    return q;
  }
}

/** `v` as a stride split, or a SourceRestoreError saying why it is none. */
export function checkStrideSplit(v: unknown, source: string): StrideSplit {
  const s = v as Partial<StrideSplit> | null;
  const ok = typeof s === 'object' && s !== null && Number.isInteger(s.of) && s.of! >= 1 &&
    Number.isInteger(s.index) && s.index! >= 0 && s.index! < s.of! && Number.isInteger(s.next) && s.next! >= 0;
  if (!ok) throw new SourceRestoreError(source, `${JSON.stringify(v)} is not a stride split ({ index, of, next } with 0 <= index < of, next >= 0)`);
  return { index: s.index!, of: s.of!, next: s.next! };
}

/**
 * A stride split: subtask `index` of `of` reads elements index, index+of, index+2*of, ... Used by the
 * collection and generator sources, whose records are re-created from code in every process.
 */
import type { SplitAssignment, SplitEnumerator } from '@eddy/common';

export interface StrideSplit {
  readonly index: number;
  readonly of: number;
  /** First position (in strides) not yet read; lets a restored reader resume. */
  readonly next: number;
}

/** Hands each subtask its one stride split, then says no more. */
export class StrideSplitEnumerator implements SplitEnumerator<StrideSplit> {
  private readonly assigned = new Set<number>();
  constructor(private readonly parallelism: number) {}

  nextSplit(subtask: number): SplitAssignment<StrideSplit> {
    if (this.assigned.has(subtask) || subtask >= this.parallelism) return { kind: 'no-more' };
    this.assigned.add(subtask);
    return { kind: 'split', split: { index: subtask, of: this.parallelism, next: 0 } };
  }
}

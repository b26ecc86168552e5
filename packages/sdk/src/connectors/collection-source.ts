/** A bounded source over an in-code array. */
import type { ReaderStatus, Source, SourceOutput, SourceReader, SplitEnumeratorContext } from '@eddy/common';
import { StrideSplitEnumerator, type StrideSplit } from './stride-split.js';

export class CollectionSource<T> implements Source<T, StrideSplit> {
  readonly boundedness = 'bounded' as const;
  constructor(private readonly items: readonly T[]) {
    if (!Array.isArray(items)) throw new TypeError('fromCollection() takes an array');
  }
  createEnumerator(ctx: SplitEnumeratorContext): StrideSplitEnumerator {
    return new StrideSplitEnumerator(ctx.parallelism);
  }
  createReader(): SourceReader<T, StrideSplit> {
    return new CollectionReader(this.items);
  }
  describe(): string {
    return `collection of ${this.items.length}`;
  }
}

class CollectionReader<T> implements SourceReader<T, StrideSplit> {
  private split: StrideSplit | undefined;
  private pos = 0;
  constructor(private readonly items: readonly T[]) {}

  addSplit(split: StrideSplit): void {
    this.split = split;
    this.pos = split.index + split.next * split.of;
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus {
    const s = this.split;
    if (!s) return 'needs-split';
    const items = this.items;
    for (let n = 0; n < maxRecords && this.pos < items.length; n++, this.pos += s.of) output.collect(items[this.pos]!);
    if (this.pos >= items.length) {
      this.split = undefined;
      return 'needs-split';
    }
    return 'more';
  }
}

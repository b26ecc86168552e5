/** A synthetic source: record i is generate(i); bounded by a count or unbounded; optionally rate-limited. */
import type { ReaderStatus, Source, SourceOutput, SourceReader, SourceReaderContext, SplitEnumeratorContext } from '@eddy/common';
import { checkStrideSplit, StrideSplitEnumerator, type StrideEnumeratorState, type StrideSplit } from './stride-split.js';

export interface GeneratorOptions {
  /** Records per second across all subtasks; unlimited when absent. */
  readonly ratePerSecond?: number;
}

/**
 * Checkpoints: a split's position is the stride count of its next record, so a restored reader
 * generates exactly the records after the snapshot (generate() must be a pure function of the index).
 */
export class GeneratorSource<T> implements Source<T, StrideSplit, StrideEnumeratorState> {
  readonly boundedness: 'bounded' | 'unbounded';
  constructor(
    protected readonly count: number,
    private readonly generate: (index: number) => T,
    private readonly options: GeneratorOptions = {},
  ) {
    if (!(count >= 0) || (Number.isFinite(count) && !Number.isInteger(count))) {
      throw new TypeError(`fromGenerator() count must be a non-negative integer or Infinity, got ${count}`);
    }
    if (typeof generate !== 'function') throw new TypeError('fromGenerator() takes a function (index) => record');
    if (options.ratePerSecond !== undefined && !(options.ratePerSecond > 0)) throw new TypeError('ratePerSecond must be positive');
    this.boundedness = Number.isFinite(count) ? 'bounded' : 'unbounded';
  }
  createEnumerator(ctx: SplitEnumeratorContext): StrideSplitEnumerator {
    return new StrideSplitEnumerator(ctx.parallelism);
  }
  restoreEnumerator(ctx: SplitEnumeratorContext, state: StrideEnumeratorState): StrideSplitEnumerator {
    return StrideSplitEnumerator.restore(ctx, state, this.describe());
  }
  createReader(ctx: SourceReaderContext): SourceReader<T, StrideSplit> {
    const rate = this.options.ratePerSecond;
    return new GeneratorReader(this.count, this.generate, rate === undefined ? undefined : rate / ctx.parallelism, this.describe());
  }
  describe(): string {
    return Number.isFinite(this.count) ? `generator of ${this.count}` : 'unbounded generator';
  }
}

/** A split being read: `pos` is the index of its next record. */
interface Cursor {
  readonly index: number;
  readonly of: number;
  pos: number;
}

/**
 * With several splits (after a restore at lower parallelism) each poll reads the next one in turn:
 * unbounded splits never end, so reading them one after the other would starve all but the first.
 */
class GeneratorReader<T> implements SourceReader<T, StrideSplit> {
  private readonly cursors: Cursor[] = [];
  private emitted = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly count: number,
    private readonly generate: (index: number) => T,
    private readonly ratePerSubtask: number | undefined,
    private readonly name: string,
  ) {}

  addSplit(split: StrideSplit): void {
    const s = checkStrideSplit(split, this.name);
    this.cursors.push({ index: s.index, of: s.of, pos: s.index + s.next * s.of });
  }

  snapshotState(): StrideSplit[] {
    return this.cursors.map((c) => ({ index: c.index, of: c.of, next: (c.pos - c.index) / c.of }));
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus {
    const c = this.cursors[0];
    if (!c) return 'needs-split';
    let budget = maxRecords;
    if (this.ratePerSubtask !== undefined) {
      const allowed = Math.floor(((Date.now() - this.startedAt) / 1000) * this.ratePerSubtask) - this.emitted;
      if (allowed <= 0) return 'nothing-available';
      budget = Math.min(budget, allowed);
    }
    const gen = this.generate;
    const count = this.count;
    const of = c.of;
    let pos = c.pos;
    let n = 0;
    for (; n < budget && pos < count; n++, pos += of) output.collect(gen(pos));
    c.pos = pos;
    this.emitted += n;
    if (pos >= count) this.cursors.shift();
    else if (this.cursors.length > 1) this.cursors.push(this.cursors.shift()!);
    return this.cursors.length === 0 ? 'needs-split' : 'more';
  }

  available(): Promise<void> {
    const wait = this.ratePerSubtask === undefined ? 0 : Math.max(1, Math.ceil(1000 / this.ratePerSubtask));
    return new Promise((resolve) => setTimeout(resolve, Math.min(wait, 50)));
  }
}

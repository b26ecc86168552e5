/** A synthetic source: record i is generate(i); bounded by a count or unbounded; optionally rate-limited. */
import type { ReaderStatus, Source, SourceOutput, SourceReader, SourceReaderContext, SplitEnumeratorContext } from '@eddy/common';
import { StrideSplitEnumerator, type StrideSplit } from './stride-split.js';

export interface GeneratorOptions {
  /** Records per second across all subtasks; unlimited when absent. */
  readonly ratePerSecond?: number;
}

export class GeneratorSource<T> implements Source<T, StrideSplit> {
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
  createReader(ctx: SourceReaderContext): SourceReader<T, StrideSplit> {
    const rate = this.options.ratePerSecond;
    return new GeneratorReader(this.count, this.generate, rate === undefined ? undefined : rate / ctx.parallelism);
  }
  describe(): string {
    return Number.isFinite(this.count) ? `generator of ${this.count}` : 'unbounded generator';
  }
}

class GeneratorReader<T> implements SourceReader<T, StrideSplit> {
  private split: StrideSplit | undefined;
  private pos = 0;
  private emitted = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly count: number,
    private readonly generate: (index: number) => T,
    private readonly ratePerSubtask: number | undefined,
  ) {}

  addSplit(split: StrideSplit): void {
    this.split = split;
    this.pos = split.index + split.next * split.of;
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus {
    const s = this.split;
    if (!s) return 'needs-split';
    let budget = maxRecords;
    if (this.ratePerSubtask !== undefined) {
      const allowed = Math.floor(((Date.now() - this.startedAt) / 1000) * this.ratePerSubtask) - this.emitted;
      if (allowed <= 0) return 'nothing-available';
      budget = Math.min(budget, allowed);
    }
    const gen = this.generate;
    const count = this.count;
    let n = 0;
    for (; n < budget && this.pos < count; n++, this.pos += s.of) output.collect(gen(this.pos));
    this.emitted += n;
    if (this.pos >= count) {
      this.split = undefined;
      return 'needs-split';
    }
    return 'more';
  }

  available(): Promise<void> {
    const wait = this.ratePerSubtask === undefined ? 0 : Math.max(1, Math.ceil(1000 / this.ratePerSubtask));
    return new Promise((resolve) => setTimeout(resolve, Math.min(wait, 50)));
  }
}

/** map, filter and flatMap: one user call per record, the record's timestamp kept. */
import type { Collector } from '@eddy/common';
import { AbstractOperator, type Output } from './stream-operator.js';
import { UserCallGuard } from './user-call.js';

/** Base of operators that run one user function per record. */
export abstract class UserFunctionOperator extends AbstractOperator {
  readonly guard: UserCallGuard;
  constructor(id: string, name: string, out: Output) {
    super(id, name, out);
    this.guard = new UserCallGuard(id, name, out);
  }
}

export class MapOperator extends UserFunctionOperator {
  constructor(id: string, name: string, out: Output, private readonly fn: (v: unknown) => unknown) {
    super(id, name, out);
  }
  processElement(value: unknown, timestamp: number): void {
    let r: unknown;
    try {
      r = this.fn(value);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    this.out.collect(r, timestamp);
  }
}

export class FilterOperator extends UserFunctionOperator {
  constructor(id: string, name: string, out: Output, private readonly fn: (v: unknown) => boolean) {
    super(id, name, out);
  }
  processElement(value: unknown, timestamp: number): void {
    let keep: boolean;
    try {
      keep = this.fn(value);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    if (keep) this.out.collect(value, timestamp);
  }
}

/** A Collector that stamps what the user emits with the current record's timestamp. */
export class TimestampedCollector implements Collector<unknown> {
  timestamp = NaN;
  constructor(private readonly out: Output) {}
  collect(value: unknown): void {
    this.out.collect(value, this.timestamp);
  }
}

/** Results go to `out` directly, or come back as an iterable; both count. */
export class FlatMapOperator extends UserFunctionOperator {
  private readonly collector: TimestampedCollector;
  constructor(id: string, name: string, out: Output, private readonly fn: (v: unknown, out: Collector<unknown>) => unknown) {
    super(id, name, out);
    this.collector = new TimestampedCollector(out);
  }
  processElement(value: unknown, timestamp: number): void {
    this.collector.timestamp = timestamp;
    let r: unknown;
    try {
      r = this.fn(value, this.collector);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    if (r === undefined || r === null) return;
    if (Array.isArray(r)) {
      for (let i = 0; i < r.length; i++) this.out.collect(r[i], timestamp);
    } else if (typeof (r as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const x of r as Iterable<unknown>) this.out.collect(x, timestamp);
    } else {
      this.guard.handle(new TypeError('a flatMap function must emit through out.collect() or return an iterable'), value, timestamp);
    }
  }
}

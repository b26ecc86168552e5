/** map, filter, flatMap and (non-keyed) process. */
import { UserFunctionError, type Collector, type ProcessContext, type ProcessFunction, type RuntimeContext } from '@eddy/common';
import { AbstractOperator, type Output } from './stream-operator.js';

export class MapOperator extends AbstractOperator {
  constructor(id: string, name: string, out: Output, private readonly fn: (v: unknown) => unknown) {
    super(id, name, out);
  }
  collect(value: unknown): void {
    let r: unknown;
    try {
      r = this.fn(value);
    } catch (e) {
      throw new UserFunctionError(this.id, this.name, e);
    }
    this.out.collect(r);
  }
}

export class FilterOperator extends AbstractOperator {
  constructor(id: string, name: string, out: Output, private readonly fn: (v: unknown) => boolean) {
    super(id, name, out);
  }
  collect(value: unknown): void {
    let keep: boolean;
    try {
      keep = this.fn(value);
    } catch (e) {
      throw new UserFunctionError(this.id, this.name, e);
    }
    if (keep) this.out.collect(value);
  }
}

/** Results go to `out` directly, or come back as an iterable; both count. */
export class FlatMapOperator extends AbstractOperator {
  constructor(id: string, name: string, out: Output, private readonly fn: (v: unknown, out: Collector<unknown>) => unknown) {
    super(id, name, out);
  }
  collect(value: unknown): void {
    let r: unknown;
    try {
      r = this.fn(value, this.out);
    } catch (e) {
      if ((e as { name?: string })?.name === 'UserFunctionError') throw e; // thrown further down the chain
      throw new UserFunctionError(this.id, this.name, e);
    }
    if (r === undefined || r === null) return;
    if (Array.isArray(r)) {
      for (let i = 0; i < r.length; i++) this.out.collect(r[i]);
    } else if (typeof (r as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const x of r as Iterable<unknown>) this.out.collect(x);
    } else {
      throw new UserFunctionError(this.id, this.name, new TypeError('a flatMap function must emit through out.collect() or return an iterable'));
    }
  }
}

export class ProcessOperator extends AbstractOperator implements ProcessContext {
  subtaskIndex = 0;
  parallelism = 1;
  constructor(id: string, name: string, out: Output, protected readonly fn: ProcessFunction<unknown, unknown>) {
    super(id, name, out);
  }
  override open(ctx: RuntimeContext): void {
    this.subtaskIndex = ctx.subtaskIndex;
    this.parallelism = ctx.parallelism;
    this.guard(() => this.fn.open?.(ctx));
  }
  collect(value: unknown): void {
    this.guard(() => this.fn.processElement(value, this, this.out));
  }
  getCurrentKey(): never {
    throw new Error('getCurrentKey() is only available on a keyed stream: call keyBy() before process()');
  }
  override finish(): void {
    this.guard(() => this.fn.finish?.(this.out));
  }
  override close(): void {
    this.guard(() => this.fn.close?.());
  }
  protected guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      if ((e as { name?: string })?.name === 'UserFunctionError') throw e;
      throw new UserFunctionError(this.id, this.name, e);
    }
  }
}

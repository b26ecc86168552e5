/**
 * Operators on keyed streams: the record's key is extracted with the edge's key selector. Per-key state
 * lives on the heap here; it moves to the state backend with keyed state.
 */
import { UserFunctionError, type ProcessFunction } from '@eddy/common';
import { AbstractOperator, type Output } from './stream-operator.js';
import { ProcessOperator } from './stateless-operators.js';

/** Maps a key to a Map key: primitives as they are, other keys by their canonical JSON. */
export function heapKey(key: unknown): unknown {
  return typeof key === 'object' && key !== null ? JSON.stringify(key) : key;
}

export class ReduceOperator extends AbstractOperator {
  private readonly acc = new Map<unknown, unknown>();
  constructor(
    id: string,
    name: string,
    out: Output,
    private readonly keySelector: (v: unknown) => unknown,
    private readonly fn: (a: unknown, b: unknown) => unknown,
  ) {
    super(id, name, out);
  }
  collect(value: unknown): void {
    let next: unknown;
    try {
      const k = heapKey(this.keySelector(value));
      const prev = this.acc.get(k);
      next = prev === undefined ? value : this.fn(prev, value);
      this.acc.set(k, next);
    } catch (e) {
      throw new UserFunctionError(this.id, this.name, e);
    }
    this.out.collect(next);
  }
}

export class KeyedProcessOperator extends ProcessOperator {
  private currentKey: unknown;
  constructor(id: string, name: string, out: Output, fn: ProcessFunction<unknown, unknown>, private readonly keySelector: (v: unknown) => unknown) {
    super(id, name, out, fn);
  }
  override collect(value: unknown): void {
    this.guard(() => {
      this.currentKey = this.keySelector(value);
      this.fn.processElement(value, this, this.out);
    });
  }
  override getCurrentKey(): never {
    return this.currentKey as never;
  }
}

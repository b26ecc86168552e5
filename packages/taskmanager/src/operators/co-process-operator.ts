/**
 * connect(...).process(): two inputs, one function. On keyed streams each input has its own key
 * selector, and both inputs share the key's state and timers.
 */
import type { CoProcessFunction, ProcessFunction } from '@eddy/common';
import { KeyedProcessOperator, ProcessOperator } from './process-operator.js';
import type { Output, TwoInputOperator } from './stream-operator.js';

type Call = ProcessFunction<unknown, unknown>['processElement'];

/** The first input's view of a co-process function (open, timers and close are shared). */
function firstInput(fn: CoProcessFunction<unknown, unknown, unknown>): ProcessFunction<unknown, unknown> {
  return {
    open: fn.open?.bind(fn),
    processElement: (v, ctx, out) => fn.processElement1(v, ctx, out),
    onTimer: fn.onTimer?.bind(fn),
    close: fn.close?.bind(fn),
  };
}

export class CoProcessOperator extends ProcessOperator implements TwoInputOperator {
  private readonly second: Call;
  constructor(id: string, name: string, out: Output, fn: CoProcessFunction<unknown, unknown, unknown>) {
    super(id, name, out, firstInput(fn));
    this.second = (v, ctx, o) => fn.processElement2(v, ctx, o);
  }
  processElement2(value: unknown, timestamp: number): void {
    this.invoke(this.second, value, timestamp);
  }
}

export class KeyedCoProcessOperator extends KeyedProcessOperator implements TwoInputOperator {
  private readonly second: Call;
  constructor(
    id: string,
    name: string,
    out: Output,
    fn: CoProcessFunction<unknown, unknown, unknown>,
    keySelector1: (v: unknown) => unknown,
    private readonly keySelector2: (v: unknown) => unknown,
  ) {
    super(id, name, out, firstInput(fn), keySelector1);
    this.second = (v, ctx, o) => fn.processElement2(v, ctx, o);
  }
  processElement2(value: unknown, timestamp: number): void {
    this.invokeKeyed(this.keySelector2, this.second, value, timestamp);
  }
}

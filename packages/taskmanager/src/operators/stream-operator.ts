/**
 * Operators of a chain call each other directly: processElement() runs the user function and hands
 * results to the next operator's collect(). Everything here is synchronous; a user function that
 * throws is wrapped in a UserFunctionError naming the operator, and the task fails.
 */
import type { Collector, RuntimeContext } from '@eddy/common';

export type Output = Collector<unknown>;

export interface StreamOperator extends Output {
  readonly id: string;
  readonly name: string;
  open(ctx: RuntimeContext): void;
  /** End of input: emit what is left (bounded streams). */
  finish(): void;
  /** Called between input batches and when idle; sinks write out here. */
  flush(endOfInput: boolean): void | Promise<void>;
  close(): void | Promise<void>;
}

export abstract class AbstractOperator implements StreamOperator {
  constructor(
    readonly id: string,
    readonly name: string,
    protected readonly out: Output,
  ) {}
  abstract collect(value: unknown): void;
  open(_ctx: RuntimeContext): void {}
  finish(): void {}
  flush(_endOfInput: boolean): void | Promise<void> {}
  close(): void | Promise<void> {}
}

/**
 * Operators of a chain call each other directly. Every record carries its event timestamp (NaN when it
 * has none); watermarks flow in order with records. An operator reads through `Input` and writes to its
 * `Output`: the next operator of the chain, or the network at the chain's end. Everything is
 * synchronous. A user function that throws is wrapped in a UserFunctionError naming the operator.
 */
import type { RuntimeContext } from '@eddy/common';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { InternalTimerService, TimerTarget } from '../time/internal-timer-service.js';

/** Timestamp of a record without one. */
export const NO_TIMESTAMP = NaN;

export interface Output {
  collect(value: unknown, timestamp: number): void;
  /** To the side output named `tag` (its own edges; never chained). */
  collectSide(tag: string, value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
}

export interface Input {
  processElement(value: unknown, timestamp: number): void;
  processWatermark(watermark: number): void;
}

/** What an operator gets from its task. */
export interface OperatorContext {
  readonly runtime: RuntimeContext;
  /** Present on keyed tasks only. */
  readonly stateBackend: KeyedStateBackend | undefined;
  /** Timers scoped by key and namespace; keyed tasks only. The target is called when timers fire. */
  createTimerService(operatorId: string, target: TimerTarget): InternalTimerService;
  /** Wall-clock milliseconds, injectable for tests. */
  now(): number;
}

/** An operator with a second input (connect, joins); processElement() is the first input. */
export interface TwoInputOperator {
  processElement2(value: unknown, timestamp: number): void;
}

export function isTwoInput(op: object): op is TwoInputOperator {
  return typeof (op as { processElement2?: unknown }).processElement2 === 'function';
}

export interface StreamOperator extends Input {
  readonly id: string;
  readonly name: string;
  open(ctx: OperatorContext): void;
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
  abstract processElement(value: unknown, timestamp: number): void;
  /** Forwards the watermark; operators with event-time timers fire them first. */
  processWatermark(watermark: number): void {
    this.out.emitWatermark(watermark);
  }
  open(_ctx: OperatorContext): void {}
  finish(): void {}
  flush(_endOfInput: boolean): void | Promise<void> {}
  close(): void | Promise<void> {}
}

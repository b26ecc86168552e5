/** The end of a chain: hands records to the user's SinkWriter. */
import type { Sink, SinkWriter } from '@eddy/common';
import { UserFunctionOperator } from './stateless-operators.js';
import type { OperatorContext } from './stream-operator.js';

const NOWHERE = { collect() {}, collectSide() {}, emitWatermark() {} };

export class SinkOperator extends UserFunctionOperator {
  private writer: SinkWriter<unknown> | undefined;
  constructor(id: string, name: string, private readonly sink: Sink<unknown>) {
    super(id, name, NOWHERE);
  }
  override open(ctx: OperatorContext): void {
    try {
      this.writer = this.sink.createWriter({ subtaskIndex: ctx.runtime.subtaskIndex, parallelism: ctx.runtime.parallelism, jobId: ctx.runtime.jobId });
    } catch (e) {
      this.guard.wrap(e);
    }
  }
  processElement(value: unknown, timestamp: number): void {
    try {
      this.writer!.write(value);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
    }
  }
  override processWatermark(): void {}
  override async flush(endOfInput: boolean): Promise<void> {
    const w = this.writer;
    try {
      if (w?.flush) await w.flush(endOfInput);
    } catch (e) {
      this.guard.wrap(e);
    }
  }
  override async close(): Promise<void> {
    const w = this.writer;
    this.writer = undefined;
    try {
      if (w?.close) await w.close();
    } catch (e) {
      this.guard.wrap(e);
    }
  }
}

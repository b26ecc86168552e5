/** The end of a chain: hands records to the user's SinkWriter. */
import { UserFunctionError, type RuntimeContext, type Sink, type SinkWriter } from '@eddy/common';
import { AbstractOperator } from './stream-operator.js';

export class SinkOperator extends AbstractOperator {
  private writer: SinkWriter<unknown> | undefined;
  constructor(id: string, name: string, private readonly sink: Sink<unknown>) {
    super(id, name, { collect() {} });
  }
  override open(ctx: RuntimeContext): void {
    this.writer = this.guard(() => this.sink.createWriter({ subtaskIndex: ctx.subtaskIndex, parallelism: ctx.parallelism, jobId: ctx.jobId }));
  }
  collect(value: unknown): void {
    try {
      this.writer!.write(value);
    } catch (e) {
      throw new UserFunctionError(this.id, this.name, e);
    }
  }
  override async flush(endOfInput: boolean): Promise<void> {
    const w = this.writer;
    if (w?.flush) await this.guardAsync(() => w.flush!(endOfInput));
  }
  override async close(): Promise<void> {
    const w = this.writer;
    this.writer = undefined;
    if (w?.close) await this.guardAsync(() => w.close!());
  }
  private guard<R>(f: () => R): R {
    try {
      return f();
    } catch (e) {
      throw new UserFunctionError(this.id, this.name, e);
    }
  }
  private async guardAsync(f: () => void | Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      throw new UserFunctionError(this.id, this.name, e);
    }
  }
}

/** Prints records to the TaskManager's standard output as `<prefix><subtask>> <record>`. */
import type { Sink, SinkContext, SinkWriter } from '@eddy/common';

export class PrintSink<T> implements Sink<T> {
  constructor(private readonly prefix = '') {}
  createWriter(ctx: SinkContext): SinkWriter<T> {
    const tag = ctx.parallelism > 1 ? `${this.prefix}${ctx.subtaskIndex + 1}> ` : this.prefix ? `${this.prefix}> ` : '';
    let pending = '';
    const flush = (): void => {
      if (pending !== '') process.stdout.write(pending);
      pending = '';
    };
    return {
      write(record: T): void {
        pending += tag + (typeof record === 'string' ? record : JSON.stringify(record)) + '\n';
        if (pending.length > 65536) flush();
      },
      flush,
      close: flush,
    };
  }
  describe(): string {
    return 'standard output of the TaskManagers';
  }
}

/** Drops every record (benchmarks, tests). */
export class DiscardingSink<T> implements Sink<T> {
  createWriter(): SinkWriter<T> {
    return { write() {} };
  }
  describe(): string {
    return 'discard';
  }
}

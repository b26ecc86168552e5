/**
 * Counts the records a sink receives, so the harness reports outputs where Flink's baseline counts
 * them (its sink's accumulator) rather than at the input of the last chain, which in Eddy holds
 * the chained operators before the sink too (q0's chain starts at the source). Each subtask writes
 * `<dir>/outputs-<subtask>.json` = `{ "outputs": n }` when it closes, i.e. after its end of input and
 * before it reports FINISHED, so the files are complete once the job is.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink, SinkContext, SinkWriter } from '@eddy/sdk';

export class CountingSink<T> implements Sink<T> {
  constructor(
    private readonly inner: Sink<T>,
    private readonly dir: string,
  ) {}

  createWriter(ctx: SinkContext): SinkWriter<T> {
    const inner = this.inner.createWriter(ctx);
    const dir = this.dir;
    let outputs = 0;
    return {
      write(record: T): void {
        outputs++;
        inner.write(record);
      },
      ...(inner.flush ? { flush: (endOfInput: boolean) => inner.flush!(endOfInput) } : {}),
      async close(): Promise<void> {
        await inner.close?.();
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `outputs-${ctx.subtaskIndex}.json`), JSON.stringify({ outputs }));
      },
    };
  }

  describe(): string {
    return `${this.inner.describe?.() ?? 'a sink'}, counted in ${this.dir}`;
  }
}

/** The sum of the counts of `parallelism` sink subtasks; throws when a subtask left none. */
export function readSinkCounts(dir: string, parallelism: number): number {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /^outputs-\d+\.json$/.test(f));
  } catch {
    // no subtask closed: reported below
  }
  if (files.length !== parallelism) throw new Error(`${files.length} of ${parallelism} sink subtasks reported their output count in ${dir}`);
  return files.reduce((a, f) => a + (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { outputs: number }).outputs, 0);
}

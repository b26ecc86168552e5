/**
 * A sink for latency runs of the Nexmark jobs: for each output record, the latency is its sink wall
 * time minus the wall time its event time was due (the source is throttled so that event time T is due
 * at startAt + (T - baseTime) * eventTimeRate / rate). Each subtask keeps a sample of latencies and
 * writes it to `<dir>/latency-<subtask>.json` when it closes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink, SinkContext, SinkWriter } from '@eddy/sdk';

const MAX_SAMPLES = 200_000;

export interface LatencySinkOptions<T> {
  dir: string;
  startAt: number;
  rate: number;
  eventTimeRate?: number;
  baseTime?: number;
  /** The event time an output depends on, or undefined when it carries none. */
  timeOf: (record: T) => number | undefined;
}

export class LatencySink<T> implements Sink<T> {
  constructor(private readonly o: LatencySinkOptions<T>) {}

  createWriter(ctx: SinkContext): SinkWriter<T> {
    const { dir, startAt, rate, timeOf } = this.o;
    const base = this.o.baseTime ?? 1_700_000_000_000;
    const scale = (this.o.eventTimeRate ?? 100_000) / rate;
    const samples = new Float64Array(MAX_SAMPLES);
    let seen = 0;
    let count = 0;
    return {
      write(record: T): void {
        count++;
        const t = timeOf(record);
        if (t === undefined) return;
        const latency = Date.now() - (startAt + (t - base) * scale);
        if (latency < 0) return; // not yet due: a window flushed by the end of the input, not by the watermark
        // Reservoir sampling keeps a uniform sample of every latency seen.
        if (seen < MAX_SAMPLES) samples[seen] = latency;
        else {
          const j = Math.floor(Math.random() * (seen + 1));
          if (j < MAX_SAMPLES) samples[j] = latency;
        }
        seen++;
      },
      close(): void {
        mkdirSync(dir, { recursive: true });
        const n = Math.min(seen, MAX_SAMPLES);
        writeFileSync(join(dir, `latency-${ctx.subtaskIndex}.json`), JSON.stringify({ outputs: count, samples: Array.from(samples.subarray(0, n)) }));
      },
    };
  }

  describe(): string {
    return `latency samples in ${this.o.dir}`;
  }
}

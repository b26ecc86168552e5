// Keyed state larger than the slot's heap: phase 1 writes a value of S bytes for each of N keys,
// phase 2 reads every key back and emits a mismatch record for any wrong value, and the number of
// keys verified at the end. args: [N, output dir, S]
import { getHeapStatistics } from 'node:v8';
import { defineJob, FileSink, ValueStateDescriptor, type Collector, type ProcessContext, type RuntimeContext, type ValueState } from '@eddy/sdk';


export default defineJob((env, args) => {
  const n = Number(args[0]);
  const size = Number(args[2] ?? 200);
  const valueOf = (k: number): string => `${k}:`.padEnd(size, String.fromCharCode(97 + (k % 26)));
  env.setStateBackend('leveldb').configure({ stateCacheEntries: 5_000 });
  env
    .fromGenerator(2 * n, (i) => i)
    .setParallelism(1)
    .keyBy((i) => i % n)
    .process(
      new (class {
        private state!: ValueState<string>;
        private verified = 0;
        open(ctx: RuntimeContext): void {
          this.state = ctx.getState(new ValueStateDescriptor<string>('payload'));
        }
        processElement(i: number, ctx: ProcessContext<number>, out: Collector<unknown>): void {
          const k = ctx.getCurrentKey();
          if (i < n) {
            this.state.update(valueOf(k));
          } else {
            const v = this.state.value();
            if (v === valueOf(k)) this.verified++;
            else out.collect({ key: k, got: v ?? null });
          }
        }
        finish(out: Collector<unknown>): void {
          out.collect({ verified: this.verified, heapLimitBytes: getHeapStatistics().heap_size_limit });
        }
      })(),
    )
    .sinkTo(FileSink.forPath(args[1]!));
});

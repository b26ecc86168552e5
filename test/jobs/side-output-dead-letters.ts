// A map that throws on some records, with its failures routed to dead letters instead of failing the job.
// args: [main output dir, dead-letter output dir, count]
// Record i is { n: i }; the map throws `cannot handle record <i>` when i % 97 === 13, else emits n * 3.
import { defineJob, FileSink, type DeadLetter } from '@eddy/sdk';

export default defineJob((env, args) => {
  const [mainOut, deadOut, count] = [args[0]!, args[1]!, Number(args[2] ?? 10_000)];
  const mapped = env
    .fromGenerator(count, (i) => ({ n: i }))
    .rebalance()
    .map((r) => {
      if (r.n % 97 === 13) throw new Error(`cannot handle record ${r.n}`);
      return r.n * 3;
    })
    .name('Fragile')
    .withDeadLetters();
  mapped.sinkTo(FileSink.forPath<number>(mainOut));
  mapped.getDeadLetters().sinkTo(FileSink.forPath<DeadLetter<unknown>>(deadOut));
});

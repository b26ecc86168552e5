// An unbounded stream of words, counted per word. args: [output dir, records per second]
import { defineJob, FileSink } from '@eddy/sdk';

export default defineJob((env, args) => {
  env
    .fromGenerator(Infinity, (i) => ({ word: `w${(i * 7919) % 61}`, count: 1 }), { ratePerSecond: Number(args[1] ?? 100_000) })
    .keyBy((r) => r.word)
    .reduce((a, b) => ({ word: a.word, count: a.count + b.count }))
    .sinkTo(FileSink.forPath(args[0]!));
});

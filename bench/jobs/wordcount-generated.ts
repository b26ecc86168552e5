// Benchmark job: a keyed running word count over N generated words, to a discarding sink. args: [N]
import { defineJob, DiscardingSink } from '@eddy/sdk';

const WORDS = Array.from({ length: 10_000 }, (_, i) => `word${i}`);

export default defineJob((env, args) => {
  const n = Number(args[0] ?? 5_000_000);
  env
    .fromGenerator(n, (i) => WORDS[(i * 7919) % WORDS.length]!)
    .map((word) => ({ word, count: 1 }))
    .keyBy((r) => r.word)
    .reduce((a, b) => ({ word: a.word, count: a.count + b.count }))
    .sinkTo(new DiscardingSink());
});

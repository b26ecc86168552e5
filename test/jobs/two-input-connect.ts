// Non-keyed connect: numbers and strings, both forwarded by one CoProcessFunction, tagged by input.
// args: [output dir, count of numbers, count of strings]
import { defineJob, FileSink } from '@eddy/sdk';

type Tagged = { input: 1; value: number } | { input: 2; value: string };

export default defineJob((env, args) => {
  const [out, n1, n2] = [args[0]!, Number(args[1] ?? 5_000), Number(args[2] ?? 3_000)];
  const numbers = env.fromGenerator(n1, (i) => i * 3);
  const strings = env.fromGenerator(n2, (i) => `s${i}`);
  numbers
    .connect(strings)
    .process<Tagged>({
      processElement1: (v, _ctx, o) => o.collect({ input: 1, value: v }),
      processElement2: (v, _ctx, o) => o.collect({ input: 2, value: v }),
    })
    .name('Tag')
    .sinkTo(FileSink.forPath<Tagged>(out));
});

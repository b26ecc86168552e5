// A process function sends even numbers to the main output and odd ones to the side output 'odd'.
// args: [main output dir, odd output dir, count]
import { defineJob, FileSink, OutputTag } from '@eddy/sdk';

export default defineJob((env, args) => {
  const [mainOut, oddOut, count] = [args[0]!, args[1]!, Number(args[2] ?? 10_000)];
  const odd = new OutputTag<number>('odd');
  const evens = env
    .fromGenerator(count, (i) => i * 7 + 1)
    .rebalance()
    .process<number>((v, ctx, out) => {
      if (v % 2 === 0) out.collect(v);
      else ctx.output(odd, v);
    })
    .name('SplitEvenOdd');
  evens.sinkTo(FileSink.forPath<number>(mainOut));
  evens.getSideOutput(odd).sinkTo(FileSink.forPath<number>(oddOut));
});

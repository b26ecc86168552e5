// Union, broadcast and rebalance across processes. args: [output dir]
import { defineJob, FileSink } from '@eddy/sdk';

export default defineJob((env, args) => {
  const a = env.fromCollection(['a1', 'a2', 'a3']);
  const b = env.fromGenerator(100, (i) => `b${i}`).setParallelism(2);
  const rules = env.fromElements('rule');
  a.union(b)
    .rebalance()
    .map((s) => s.toUpperCase())
    .union(rules.broadcast())
    .sinkTo(FileSink.forPath(args[0]!, { format: 'text' }));
});

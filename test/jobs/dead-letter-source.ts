// Malformed JSON lines and a throwing map go to dead letters instead of failing the job. args: [input, out, dead]
import { defineJob, FileSink, FileSource } from '@eddy/sdk';

export default defineJob((env, args) => {
  const parsed = env.fromSource(FileSource.forPath<{ n: number }>(args[0]!, { format: 'jsonl' })).withDeadLetters();
  const doubled = parsed
    .map((r) => {
      if (r.n % 10 === 7) throw new Error(`unlucky ${r.n}`);
      return r.n * 2;
    })
    .name('Double')
    .withDeadLetters();
  doubled.sinkTo(FileSink.forPath(args[1]!));
  parsed.getDeadLetters().union(doubled.getDeadLetters()).sinkTo(FileSink.forPath(args[2]!));
});

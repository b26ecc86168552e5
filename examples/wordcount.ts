/**
 * Word count: the classic first job. Reads text files, splits lines into words, keeps a running count
 * per word (keyed by the word) and writes every updated count as a JSON line.
 *
 *   npx eddy local examples/wordcount.ts -p 2 -- [input path] [output dir]
 */
import { defineJob, FileSink, FileSource } from '@eddy/sdk';

export default defineJob((env, args) => {
  const input = args[0] ?? 'examples/data/words.txt';
  const output = args[1] ?? '.eddy/out/wordcount';
  env.setJobName('wordcount');
  env
    .fromSource(FileSource.forPath(input))
    .flatMap((line: string) => line.toLowerCase().split(/[^a-z']+/).filter((w) => w !== ''))
    .map((word) => ({ word, count: 1 }))
    .keyBy((r) => r.word)
    .reduce((a, b) => ({ word: a.word, count: a.count + b.count }))
    .name('Count')
    .uid('count')
    .sinkTo(FileSink.forPath(output));
});

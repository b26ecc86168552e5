/** Handwritten job artifacts and the job graphs that match them. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eddy } from '@eddy/common';

const P = eddy.v1.Partitioner;

/**
 * A job module as the SDK would bundle it, minus the SDK: a source whose enumerator hands out two
 * splits (`enumerator: 'throws'` makes nextSplit throw), and operators map, agg, join, sink.
 */
export function jobModuleSource(opts: { enumerator?: 'two-splits' | 'throws'; checkpointIntervalMs?: number; restartStrategy?: object } = {}): string {
  const checkpointing =
    (opts.checkpointIntervalMs === undefined
      ? ''
      : `, checkpointing: { intervalMs: ${opts.checkpointIntervalMs}, mode: 'exactly-once', timeoutMs: 5000, minPauseMs: 0, maxConcurrent: 1, retained: 2 }`) +
    (opts.restartStrategy === undefined ? '' : `, restartStrategy: ${JSON.stringify(opts.restartStrategy)}`);
  const nextSplit =
    opts.enumerator === 'throws'
      ? `nextSplit() { throw new Error('no files match /data/*.csv'); }`
      : `nextSplit(subtask) { const s = splits.shift(); return s ? { kind: 'split', split: s } : { kind: 'no-more' }; }`;
  return `
const node = (id, kind, spec, parallelism) => ({ id, name: id.toUpperCase(), uid: true, parallelism, chaining: true, spec: { kind, ...spec } });
export default {
  __eddyJob: 1,
  plan(args, o) {
    const p = o.defaultParallelism;
    const source = {
      boundedness: 'bounded',
      createEnumerator(ctx) {
        const splits = [{ file: 'a.csv', parallelism: ctx.parallelism }, { file: 'b.csv' }];
        return { ${nextSplit}, snapshotState() { return { remaining: splits.length }; } };
      },
      createReader() { throw new Error('readers run in TaskManagers'); },
    };
    return {
      name: 'test-job', defaultParallelism: p, maxParallelism: 128,
      config: { bufferSizeBytes: 32768, bufferTimeoutMs: 100, creditsPerChannel: 4, maxQueuedBuffersPerChannel: 4${checkpointing} },
      nodes: [
        node('src', 'source', { source }, 2),
        node('map', 'map', { fn: (x) => x }, 2),
        node('agg', 'keyed-process', { fn: { processElement() {} } }, p),
        node('join', 'process', { fn: { processElement() {} } }, 2),
        node('sink', 'sink', { sink: { createWriter() { throw new Error('no'); } } }, 1),
      ],
      edges: [],
    };
  },
};
`;
}

/** Vertices src[src,map] p2, agg p3 (keyed), join p2 (two inputs), sink p1. */
export function testGraph(overrides: { edges?: eddy.v1.IJobEdge[]; aggParallelism?: number } = {}): eddy.v1.IJobGraph {
  const op = (id: string, kind: string, keyed = false): eddy.v1.IOperatorDescriptor => ({ id, name: id.toUpperCase(), kind, keyed });
  return {
    name: 'test-job',
    maxParallelism: 128,
    configJson: '{"bufferTimeoutMs":100}',
    vertices: [
      { id: 'src', name: 'SRC -> MAP', parallelism: 2, operators: [op('src', 'source'), op('map', 'map')] },
      { id: 'agg', name: 'AGG', parallelism: overrides.aggParallelism ?? 3, operators: [op('agg', 'keyed-process', true)] },
      { id: 'join', name: 'JOIN', parallelism: 2, operators: [op('join', 'process')] },
      { id: 'sink', name: 'SINK', parallelism: 1, operators: [op('sink', 'sink')] },
    ],
    edges: overrides.edges ?? [
      { source: 'src', target: 'agg', partitioner: P.HASH, inputIndex: 0 },
      { source: 'agg', target: 'join', partitioner: P.REBALANCE, inputIndex: 0 },
      { source: 'src', target: 'join', partitioner: P.BROADCAST, inputIndex: 1 },
      { source: 'join', target: 'sink', partitioner: P.REBALANCE, inputIndex: 0 },
    ],
  };
}

/** Writes `source` as an .mjs file in `dir` and returns its bytes, as the CLI would read a bundle. */
export async function artifactBytes(dir: string, name: string, source: string): Promise<Uint8Array> {
  const file = join(dir, name);
  await writeFile(file, source);
  return readFile(file);
}

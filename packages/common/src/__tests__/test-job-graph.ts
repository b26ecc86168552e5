import test from 'ava';
import { validateJobGraph, type JobGraph } from '../job-graph.js';

function graph(over: Partial<JobGraph> = {}): JobGraph {
  return {
    name: 'g',
    maxParallelism: 128,
    configJson: '{}',
    vertices: [
      { id: 'src', name: 'Source', parallelism: 2, operators: [{ id: 'src', name: 'Source', kind: 'source', keyed: false }] },
      { id: 'red', name: 'Reduce', parallelism: 2, operators: [{ id: 'red', name: 'Reduce', kind: 'reduce', keyed: true }] },
    ],
    edges: [{ source: 'src', target: 'red', partitioner: 'hash', inputIndex: 0 }],
    ...over,
  };
}

test('job-graph: a valid graph passes', (t) => {
  t.notThrows(() => validateJobGraph(graph()));
});

test('job-graph: a cycle is named', (t) => {
  const g = graph({ edges: [...graph().edges, { source: 'red', target: 'src', partitioner: 'rebalance', inputIndex: 0 }] });
  t.throws(() => validateJobGraph(g), { message: /cycle: (src -> red -> src|red -> src -> red)/ });
});

test('job-graph: an unknown partitioner is named with the known ones', (t) => {
  const g = graph({ edges: [{ source: 'src', target: 'red', partitioner: 'shuffle', inputIndex: 0 }] });
  t.throws(() => validateJobGraph(g), { message: /unknown partitioner 'shuffle' \(known: forward, rebalance, hash, broadcast, rescale\)/ });
});

test('job-graph: parallelism above the maxParallelism can never run and is named', (t) => {
  t.throws(() => validateJobGraph(graph({ maxParallelism: 1 })), {
    message: "invalid job 'g': operator 'Source' has parallelism 2 above the job's maxParallelism 1; operator 'Reduce' has parallelism 2 above the job's maxParallelism 1",
  });
});

test('job-graph: a keyed operator on a non-keyed stream asks for keyBy()', (t) => {
  const g = graph({ edges: [{ source: 'src', target: 'red', partitioner: 'rebalance', inputIndex: 0 }] });
  t.throws(() => validateJobGraph(g), { message: /'Reduce' needs a keyed stream: call keyBy\(\)/ });
});

test('job-graph: empty graphs, bad parallelism and duplicate ids are rejected', (t) => {
  t.throws(() => validateJobGraph(graph({ vertices: [], edges: [] })), { message: /no operators/ });
  const bad = graph();
  bad.vertices[1]!.parallelism = 0;
  t.throws(() => validateJobGraph(bad), { message: /parallelism 0/ });
  const dup = graph();
  dup.vertices[1]!.operators[0]!.id = 'src';
  t.throws(() => validateJobGraph(dup), { message: /operator id 'src' is used twice/ });
});

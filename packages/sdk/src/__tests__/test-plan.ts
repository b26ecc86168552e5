import test from 'ava';
import { buildJobGraph, validateJobGraph } from '@eddy/common';
import { defineJob, DiscardingSink } from '../index.js';

const job = defineJob((env) => {
  const words = env.fromCollection(['a b', 'c']).flatMap((l: string) => l.split(' '));
  words
    .map((w) => ({ w, n: 1 }))
    .keyBy((r) => r.w)
    .reduce((a, b) => ({ w: a.w, n: a.n + b.n }))
    .uid('counts')
    .sinkTo(new DiscardingSink());
});

test('plan: operator ids are derived from the graph and identical on every build', (t) => {
  const a = job.plan([], { defaultParallelism: 2 });
  const b = job.plan([], { defaultParallelism: 3 });
  t.deepEqual(a.nodes.map((n) => n.id), b.nodes.map((n) => n.id));
  t.true(a.nodes.some((n) => n.id === 'counts'));
  t.is(new Set(a.nodes.map((n) => n.id)).size, a.nodes.length);
});

test('plan: forward edges of equal parallelism chain; keyBy and parallelism changes do not', (t) => {
  const g = buildJobGraph(job.plan([], { defaultParallelism: 2 }));
  // source (p=1) | flatMap -> map (p=2) | reduce -> sink (p=2, after keyBy)
  t.deepEqual(g.vertices.map((v) => v.operators.map((o) => o.kind)), [['source'], ['flat-map', 'map'], ['reduce', 'sink']]);
  t.deepEqual(g.edges.map((e) => e.partitioner), ['rebalance', 'hash']);
});

test('plan: a fork chains both branches into one vertex; edges leaving mid-chain name their operator', (t) => {
  const forked = defineJob((env) => {
    const words = env.fromElements('a b').flatMap((l: string) => l.split(' ')).name('Split');
    words.map((w) => w.toUpperCase()).name('Upper').print().name('PrintUpper');
    words.filter((w) => w !== 'a').name('NotA').print().name('PrintNotA');
    words.keyBy((w) => w).reduce((a, b) => a + b).name('Concat').print();
  });
  const g = buildJobGraph(forked.plan([], { defaultParallelism: 1 }));
  const head = g.vertices[0]!;
  t.deepEqual(head.operators.map((o) => o.name), ['Source: Collection', 'Split', 'Upper', 'PrintUpper', 'NotA', 'PrintNotA']);
  t.is(head.name, 'Source: Collection -> Split -> (Upper -> PrintUpper, NotA -> PrintNotA)');
  t.deepEqual(g.vertices.map((v) => v.operators.length), [6, 2]);
  t.deepEqual(g.edges.map((e) => [e.partitioner, e.sourceOperator !== undefined]), [['hash', true]]);
  t.is(g.edges[0]!.sourceOperator, forked.plan([], { defaultParallelism: 1 }).nodes.find((n) => n.name === 'Split')!.id);
  t.notThrows(() => validateJobGraph(g));
});

test('plan: invalid uids and parallelism are rejected where they are written', (t) => {
  t.throws(
    () => defineJob((env) => { env.fromElements(1).uid('has space'); }).plan([], { defaultParallelism: 1 }),
    { message: /uid 'has space' is invalid/ },
  );
  t.throws(
    () => defineJob((env) => { env.fromElements(1).map((x) => x).setParallelism(0); }).plan([], { defaultParallelism: 1 }),
    { message: /parallelism must be a positive integer/ },
  );
  t.throws(() => defineJob((env) => {
    env.fromElements(1).map((x) => x).uid('same').map((x) => x).uid('same');
  }).plan([], { defaultParallelism: 1 }), { message: /'same' is used twice/ });
});

test('plan: the job name comes from the job, else the default', (t) => {
  t.is(defineJob((env) => { env.setJobName('mine').fromElements(1).print(); }).plan([], { defaultParallelism: 1, defaultJobName: 'x' }).name, 'mine');
  t.is(defineJob((env) => { env.fromElements(1).print(); }).plan([], { defaultParallelism: 1, defaultJobName: 'x' }).name, 'x');
});

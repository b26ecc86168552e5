import test from 'ava';
import { subtaskForKey, type JobPlan } from '@eddy/common';
import { defineJob } from '@eddy/sdk';
import { OperatorChain, type NetworkOutput } from '../operator-chain.js';
import { RecordWriterOutput } from '../record-writer-output.js';
import type { ResultPartition } from '../../network/index.js';
import type { Output } from '../../operators/stream-operator.js';
import { createKeyedStateBackend } from '../../state/index.js';

function planOf(build: Parameters<typeof defineJob>[0]): JobPlan {
  return defineJob(build).plan([], { defaultParallelism: 1 });
}

/** An output that records what reaches it. */
function sinkInto(got: unknown[]): NetworkOutput {
  return { hasMainEdges: true, collect: (v) => void got.push(v), collectSide() {}, emitWatermark() {} };
}

const NO_EDGES: NetworkOutput = { hasMainEdges: false, collect() {}, collectSide() {}, emitWatermark() {} };

/** Network outputs for a linear chain: the last operator's records go into `got`. */
function atEnd(ops: readonly { id: string }[], got: unknown[]): (id: string) => NetworkOutput {
  const out = sinkInto(got);
  return (id) => (id === ops[ops.length - 1]!.id ? out : NO_EDGES);
}

test('operator-chain: records flow through map, filter and flatMap by direct calls, in order', (t) => {
  const plan = planOf((env) => {
    env.fromElements('a b', 'c', 'dd e')
      .flatMap((l: string) => l.split(' '))
      .filter((w) => w !== 'c')
      .map((w) => w.toUpperCase())
      .print();
  });
  const ops = plan.nodes.filter((n) => n.spec.kind !== 'source' && n.spec.kind !== 'sink');
  const got: unknown[] = [];
  const chain = new OperatorChain(ops, plan, atEnd(ops, got));
  for (const line of ['a b', 'c', 'dd e']) chain.entry.processElement(line, NaN);
  t.deepEqual(got, ['A', 'B', 'DD', 'E']);
});

test('operator-chain: a throwing user function is reported with its operator, once', (t) => {
  const plan = planOf((env) => {
    env.fromElements(1).map((x: number) => x + 1).name('Inc').map((x) => {
      if (x > 1) throw new Error('too big');
      return x;
    }).name('Check').print();
  });
  const ops = plan.nodes.filter((n) => n.spec.kind === 'map');
  const chain = new OperatorChain(ops, plan, atEnd(ops, []));
  const e = t.throws(() => chain.entry.processElement(5, NaN)) as Error & { operatorName: string };
  t.is(e.name, 'UserFunctionError');
  t.is(e.operatorName, 'Check');
  t.regex(e.message, /too big/);
});

test('operator-chain: reduce keeps a running aggregate per key in the state backend', async (t) => {
  const plan = planOf((env) => {
    env.fromElements({ k: 'a', n: 1 }).keyBy((r) => r.k).reduce((a, b) => ({ k: a.k, n: a.n + b.n })).print();
  });
  const reduce = plan.nodes.filter((n) => n.spec.kind === 'reduce');
  const got: unknown[] = [];
  const chain = new OperatorChain(reduce, plan, atEnd(reduce, got));
  const backend = await createKeyedStateBackend({ kind: 'heap', dir: '', maxParallelism: 128, keyGroupRange: { start: 0, end: 127 } });
  chain.open({
    runtime: { subtaskIndex: 0, parallelism: 1, maxParallelism: 128, jobId: 'j', operatorId: '' } as never,
    stateBackend: backend,
    createTimerService: () => { throw new Error('no timers'); },
    now: Date.now,
  });
  for (const k of ['a', 'b', 'a', 'a']) chain.entry.processElement({ k, n: 1 }, NaN);
  t.deepEqual(got, [{ k: 'a', n: 1 }, { k: 'b', n: 1 }, { k: 'a', n: 2 }, { k: 'a', n: 3 }]);
});

test('operator-chain: a fork runs every chained branch by direct calls, and an operator writes its own network edges', (t) => {
  const plan = planOf((env) => {
    const words = env.fromElements('a b').flatMap((l: string) => l.split(' ')).name('Split');
    words.map((w) => `1:${w}`).name('One').print();
    words.map((w) => `2:${w}`).name('Two').print();
  });
  const ops = plan.nodes.filter((n) => n.spec.kind !== 'sink');
  const byName = (name: string): string => plan.nodes.find((n) => n.name === name)!.id;
  const got: unknown[] = [];
  const splitOut: unknown[] = [];
  const outs = new Map<string, NetworkOutput>([
    [byName('One'), sinkInto(got)],
    [byName('Two'), sinkInto(got)],
    [byName('Split'), sinkInto(splitOut)], // Split also has an edge of its own, e.g. a keyBy elsewhere
  ]);
  const chain = new OperatorChain(ops, plan, (id) => outs.get(id) ?? NO_EDGES);
  chain.entry.processElement('a b', NaN);
  t.deepEqual(got, ['1:a', '2:a', '1:b', '2:b'], 'each record goes down every branch before the next record');
  t.deepEqual(splitOut, ['a', 'b']);
});

/** A partition that records where each record went. */
function fakePartition(numChannels: number): ResultPartition & { sent: [number, unknown][] } {
  const sent: [number, unknown][] = [];
  return {
    numChannels,
    sent,
    emit: (c: number, r: unknown) => void sent.push([c, r]),
    broadcastEvent: () => undefined,
    broadcast: (r: unknown) => {
      for (let c = 0; c < numChannels; c++) sent.push([c, r]);
    },
  } as unknown as ResultPartition & { sent: [number, unknown][] };
}

test('record-writer: hash routes every key to the subtask owning its key group; rebalance and broadcast spread', (t) => {
  const hash = fakePartition(3);
  const rebalance = fakePartition(3);
  const broadcast = fakePartition(2);
  const out = new RecordWriterOutput(
    [
      { partition: hash, partitioner: 'hash', keySelector: (r) => (r as { k: string }).k },
      { partition: rebalance, partitioner: 'rebalance' },
      { partition: broadcast, partitioner: 'broadcast' },
    ],
    1, 2, 128,
  );
  const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
  for (const k of keys) out.collect({ k }, NaN);
  for (const [c, r] of hash.sent) t.is(c, subtaskForKey((r as { k: string }).k, 128, 3));
  const perChannel = [0, 1, 2].map((c) => rebalance.sent.filter(([x]) => x === c).length);
  t.true(Math.max(...perChannel) - Math.min(...perChannel) <= 1);
  t.is(broadcast.sent.length, 200);
  t.is(out.recordsOut, 100);
});

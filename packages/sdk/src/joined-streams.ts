/**
 * Windowed joins (Flink's `a.join(b).where(ka).equalTo(kb).window(w).apply(fn)`): records of both
 * streams with equal keys that fall into the same window are paired. Built from the pieces users have:
 * both inputs are tagged and unioned, keyed by their key, windowed, and each window's elements are
 * split back by side and crossed. Window state holds the tagged records until the window fires.
 */
import type { Collector, TimeWindowLike, WindowAssigner } from '@eddy/common';
import type { DataStream, SingleOutputStreamOperator } from './datastream.js';
import type { KeySelector } from './functions.js';

interface Tagged {
  readonly side: 0 | 1;
  readonly value: unknown;
}

export type JoinFunction<A, B, R> = (left: A, right: B) => R;
/** Called once per window and key with all records of both sides (a coGroup). */
export type CoGroupFunction<A, B, R> = (left: A[], right: B[], out: Collector<R>) => void;

export class JoinedStreams<A, B> {
  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
  ) {}

  where<K>(leftKey: KeySelector<A, K>): { equalTo(rightKey: KeySelector<B, K>): WindowJoin<A, B, K> } {
    return { equalTo: (rightKey) => new WindowJoin<A, B, K>(this.left, this.right, leftKey, rightKey) };
  }
}

export class WindowJoin<A, B, K> {
  private assigner: WindowAssigner<unknown, TimeWindowLike> | undefined;

  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
    private readonly leftKey: KeySelector<A, K>,
    private readonly rightKey: KeySelector<B, K>,
  ) {}

  window(assigner: WindowAssigner<unknown, TimeWindowLike>): this {
    this.assigner = assigner;
    return this;
  }

  /** Emits fn(l, r) for every pair of the window with equal keys. */
  apply<R>(fn: JoinFunction<A, B, R>): SingleOutputStreamOperator<R> {
    return this.coGroup<R>((ls, rs, out) => {
      for (const l of ls) for (const r of rs) out.collect(fn(l, r));
    }).name('WindowJoin');
  }

  /** Calls fn once per key and window with both sides' records (also when one side is empty). */
  coGroup<R>(fn: CoGroupFunction<A, B, R>): SingleOutputStreamOperator<R> {
    const assigner = this.assigner;
    if (!assigner) throw new TypeError('call window(assigner) before apply() or coGroup()');
    const { leftKey, rightKey } = this;
    const tagged = this.left
      .map((value): Tagged => ({ side: 0, value }))
      .name('JoinLeft')
      .union(this.right.map((value): Tagged => ({ side: 1, value })).name('JoinRight'));
    return tagged
      .keyBy((t) => (t.side === 0 ? leftKey(t.value as A) : rightKey(t.value as B)))
      .window(assigner as never)
      .process<R>((_key, _ctx, elements, out) => {
        const ls: A[] = [];
        const rs: B[] = [];
        for (const t of elements as Tagged[]) {
          if (t.side === 0) ls.push(t.value as A);
          else rs.push(t.value as B);
        }
        fn(ls, rs, out);
      })
      .name('WindowCoGroup');
  }
}

/**
 * DataStream<T>: a typed, immutable handle on a stream of records. Each call adds an operator to the
 * job's plan and returns the stream it produces; nothing runs until Eddy deploys the job.
 */
import type { CoProcessFunction, DeadLetter, OperatorSpec, OutputTagLike, PartitionerName, ProcessFunction, ProcessJoinFunction, Sink, WatermarkStrategySpec } from '@eddy/common';
import { DEAD_LETTERS } from './output-tag.js';
import { JoinedStreams } from './joined-streams.js';
import type { FilterFunction, FlatMapFunction, KeySelector, MapFunction, ProcessElementFn, ReduceFunction } from './functions.js';
import { toProcessFunction } from './functions.js';
import { checkUid, type MutableNode, type PlanBuilder, type StreamRef } from './graph/plan-builder.js';
import { PrintSink } from './connectors/print-sink.js';
import type { TimeWindowLike, WindowAssigner } from '@eddy/common';
import { WindowedStream } from './windowing/windowed-stream.js';

/** Settings shared by every operator handle. */
abstract class OperatorHandle {
  constructor(
    protected readonly builder: PlanBuilder,
    protected readonly node: MutableNode,
  ) {}

  /** Stable id for this operator: state in checkpoints is keyed by it. */
  uid(uid: string): this {
    this.node.uid = checkUid(uid);
    return this;
  }

  name(name: string): this {
    this.node.name = name;
    return this;
  }

  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new TypeError(`parallelism must be a positive integer, got ${parallelism}`);
    }
    this.node.parallelism = parallelism;
    return this;
  }

  /** Keep this operator out of operator chains (it gets its own task). */
  disableChaining(): this {
    this.node.chaining = false;
    return this;
  }
}

export class DataStream<T> {
  /** @internal */
  constructor(
    protected readonly builder: PlanBuilder,
    /** @internal the operators this stream reads from, with how records are routed */
    readonly refs: readonly StreamRef[],
  ) {}

  map<R>(fn: MapFunction<T, R>): SingleOutputStreamOperator<R> {
    return this.apply({ kind: 'map', fn: fn as (v: unknown) => unknown }, 'Map');
  }

  filter(fn: FilterFunction<T>): SingleOutputStreamOperator<T> {
    return this.apply({ kind: 'filter', fn: fn as (v: unknown) => boolean }, 'Filter');
  }

  flatMap<R>(fn: FlatMapFunction<T, R>): SingleOutputStreamOperator<R> {
    return this.apply({ kind: 'flat-map', fn: fn as (v: unknown, out: import('@eddy/common').Collector<unknown>) => void }, 'FlatMap');
  }

  process<R>(fn: ProcessFunction<T, R> | ProcessElementFn<T, R>): SingleOutputStreamOperator<R> {
    const spec: OperatorSpec = { kind: 'process', fn: toProcessFunction(fn) as ProcessFunction<unknown, unknown> };
    return this.apply(spec, 'Process');
  }

  /**
   * Stamps records with event time and generates watermarks from this stream (prefer a strategy on
   * the source, which tracks each split).
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategySpec<T>): SingleOutputStreamOperator<T> {
    return this.apply({ kind: 'timestamps', watermarks: strategy as WatermarkStrategySpec }, 'Timestamps/Watermarks');
  }

  /** A windowed join: `a.join(b).where(ka).equalTo(kb).window(assigner).apply((x, y) => ...)`. */
  join<U>(other: DataStream<U>): JoinedStreams<T, U> {
    return new JoinedStreams<T, U>(this, other);
  }

  /** Two streams, one function: `a.connect(b).process({ processElement1, processElement2 })`. */
  connect<U>(other: DataStream<U>): ConnectedStreams<T, U> {
    return new ConnectedStreams<T, U>(this.builder, this.refs, other.refs);
  }

  /** Partitions the stream by key: records with equal keys go to the same subtask. */
  keyBy<K>(selector: KeySelector<T, K> | (keyof T & string)): KeyedStream<T, K> {
    const fn: KeySelector<T, K> =
      typeof selector === 'function' ? selector : (v: T) => (v as Record<string, unknown>)[selector] as K;
    return new KeyedStream<T, K>(
      this.builder,
      this.refs.map((r) => ({ node: r.node, partitioner: 'hash', keySelector: fn as (v: unknown) => unknown })),
    );
  }

  /** Round-robin over all downstream subtasks. */
  rebalance(): DataStream<T> {
    return this.partition('rebalance');
  }

  /** Round-robin over a local subset of downstream subtasks. */
  rescale(): DataStream<T> {
    return this.partition('rescale');
  }

  /** Every record to every downstream subtask. */
  broadcast(): DataStream<T> {
    return this.partition('broadcast');
  }

  /** Subtask i to subtask i (parallelism must match). */
  forward(): DataStream<T> {
    return this.partition('forward');
  }

  /** Merges streams of the same type; no operator is added. */
  union(...others: DataStream<T>[]): DataStream<T> {
    return new DataStream<T>(this.builder, [...this.refs, ...others.flatMap((o) => o.refs)]);
  }

  sinkTo(sink: Sink<T>): DataStreamSink<T> {
    const name = `Sink: ${sink.describe?.() ?? sink.constructor.name}`;
    const node = this.builder.add({ kind: 'sink', sink: sink as Sink<unknown> }, name, this.refs);
    return new DataStreamSink<T>(this.builder, node);
  }

  /** Prints every record to the TaskManager's standard output, prefixed by the subtask. */
  print(prefix?: string): DataStreamSink<T> {
    return this.sinkTo(new PrintSink<T>(prefix));
  }

  protected apply<R>(spec: OperatorSpec, name: string): SingleOutputStreamOperator<R> {
    const node = this.builder.add(spec, name, this.refs);
    return new SingleOutputStreamOperator<R>(this.builder, node);
  }

  private partition(partitioner: PartitionerName): DataStream<T> {
    return new DataStream<T>(this.builder, this.refs.map((r) => ({ node: r.node, partitioner })));
  }
}

/** A stream produced by one operator, whose settings can still be changed. */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  private readonly handle: NodeSettings;

  /** @internal */
  constructor(builder: PlanBuilder, node: MutableNode) {
    super(builder, [{ node }]);
    this.handle = new NodeSettings(builder, node);
  }

  uid(uid: string): this {
    this.handle.uid(uid);
    return this;
  }
  name(name: string): this {
    this.handle.name(name);
    return this;
  }
  setParallelism(parallelism: number): this {
    this.handle.setParallelism(parallelism);
    return this;
  }
  disableChaining(): this {
    this.handle.disableChaining();
    return this;
  }

  /** The records this operator emitted to `tag` (ctx.output, late window data, dead letters). */
  getSideOutput<S>(tag: OutputTagLike<S>): DataStream<S> {
    const [main] = this.refs;
    return new DataStream<S>(this.builder, [{ node: main!.node, sideOutputTag: tag.id }]);
  }

  /**
   * Records whose processing throws go to the dead-letter output (see getDeadLetters()) with the
   * error, instead of failing the job.
   */
  withDeadLetters(): this {
    this.refs[0]!.node.deadLetters = true;
    return this;
  }

  /** Failed records with their error (after withDeadLetters()). */
  getDeadLetters(): DataStream<DeadLetter<unknown>> {
    if (!this.refs[0]!.node.deadLetters) throw new TypeError('call withDeadLetters() on the operator before getDeadLetters()');
    return this.getSideOutput(DEAD_LETTERS);
  }
}

class NodeSettings extends OperatorHandle {}

/** A stream partitioned by key; keyed operators (reduce, keyed process) read it. */
export class KeyedStream<T, K> extends DataStream<T> {
  /** A running aggregate per key: emits the new aggregate for every record. */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T> {
    return this.apply({ kind: 'reduce', fn: fn as (a: unknown, b: unknown) => unknown }, 'Reduce');
  }

  override process<R>(fn: ProcessFunction<T, R, K> | ProcessElementFn<T, R, K>): SingleOutputStreamOperator<R> {
    const spec: OperatorSpec = { kind: 'keyed-process', fn: toProcessFunction(fn) as ProcessFunction<unknown, unknown> };
    return this.apply(spec, 'KeyedProcess');
  }

  /** Two keyed streams with the same key type: both share each key's state and timers. */
  override connect<U>(other: DataStream<U>): ConnectedStreams<T, U> {
    if (!(other instanceof KeyedStream)) throw new TypeError('connect a keyed stream to a keyed stream: call keyBy() on both');
    return new ConnectedStreams<T, U>(this.builder, this.refs, other.refs, true);
  }

  /** Joins each record with the other stream's records of the same key within [t + lower, t + upper]. */
  intervalJoin<U>(other: KeyedStream<U, K>): IntervalJoin<T, U> {
    return new IntervalJoin<T, U>(this.builder, this.refs, other.refs);
  }

  /** Cuts each key's records into windows, e.g. `.window(TumblingEventTimeWindows.of(60_000))`. */
  window<W extends TimeWindowLike>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this.builder, this.refs, assigner);
  }
}

/** The end of a stream. */
export class DataStreamSink<T> extends OperatorHandle {
  /** @internal */
  constructor(builder: PlanBuilder, node: MutableNode) {
    super(builder, node);
  }
  /** @internal keeps T in the type */
  protected readonly _type?: T;
}

/** Two streams that one co-process function reads (connect()). */
export class ConnectedStreams<A, B> {
  /** @internal */
  constructor(
    private readonly builder: PlanBuilder,
    private readonly first: readonly StreamRef[],
    private readonly second: readonly StreamRef[],
    private readonly keyed = false,
  ) {}

  /** Keys both inputs; the key types must match. */
  keyBy<K>(key1: KeySelector<A, K>, key2: KeySelector<B, K>): ConnectedStreams<A, B> {
    const k = (refs: readonly StreamRef[], fn: (v: never) => unknown): StreamRef[] =>
      refs.map((r) => ({ node: r.node, partitioner: 'hash', keySelector: fn as (v: unknown) => unknown }));
    return new ConnectedStreams<A, B>(this.builder, k(this.first, key1), k(this.second, key2), true);
  }

  process<R>(fn: CoProcessFunction<A, B, R>): SingleOutputStreamOperator<R> {
    if (typeof fn?.processElement1 !== 'function' || typeof fn.processElement2 !== 'function') {
      throw new TypeError('connect().process() takes an object with processElement1() and processElement2()');
    }
    const spec: OperatorSpec = this.keyed
      ? { kind: 'keyed-co-process', fn: fn as CoProcessFunction<unknown, unknown, unknown> }
      : { kind: 'co-process', fn: fn as CoProcessFunction<unknown, unknown, unknown> };
    const refs = [...this.first, ...this.second];
    const node = this.builder.add(spec, this.keyed ? 'KeyedCoProcess' : 'CoProcess', refs, refs.map((_, i) => (i < this.first.length ? 0 : 1)));
    return new SingleOutputStreamOperator<R>(this.builder, node);
  }
}

/** keyedA.intervalJoin(keyedB).between(lowerMs, upperMs).process(fn) */
export class IntervalJoin<A, B> {
  private lower = 0;
  private upper = 0;
  /** @internal */
  constructor(
    private readonly builder: PlanBuilder,
    private readonly left: readonly StreamRef[],
    private readonly right: readonly StreamRef[],
  ) {}

  between(lowerMs: number, upperMs: number): this {
    if (!(lowerMs <= upperMs)) throw new TypeError(`intervalJoin: lower bound ${lowerMs} is above upper bound ${upperMs}`);
    this.lower = lowerMs;
    this.upper = upperMs;
    return this;
  }

  process<R>(fn: ProcessJoinFunction<A, B, R> | ProcessJoinFunction<A, B, R>['processElement']): SingleOutputStreamOperator<R> {
    const f = (typeof fn === 'function' ? { processElement: fn } : fn) as ProcessJoinFunction<unknown, unknown, unknown>;
    const refs = [...this.left, ...this.right];
    const node = this.builder.add({ kind: 'interval-join', lowerMs: this.lower, upperMs: this.upper, fn: f }, 'IntervalJoin', refs, refs.map((_, i) => (i < this.left.length ? 0 : 1)));
    return new SingleOutputStreamOperator<R>(this.builder, node);
  }
}

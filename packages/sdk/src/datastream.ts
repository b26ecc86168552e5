/**
 * DataStream<T>: a typed, immutable handle on a stream of records. Each call adds an operator to the
 * job's plan and returns the stream it produces; nothing runs until Eddy deploys the job.
 */
import type { OperatorSpec, PartitionerName, ProcessFunction, Sink } from '@eddy/common';
import type { FilterFunction, FlatMapFunction, KeySelector, MapFunction, ProcessElementFn, ReduceFunction } from './functions.js';
import { toProcessFunction } from './functions.js';
import { checkUid, type MutableNode, type PlanBuilder, type StreamRef } from './graph/plan-builder.js';
import { PrintSink } from './connectors/print-sink.js';

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

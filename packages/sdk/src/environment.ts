/**
 * StreamExecutionEnvironment: where a job's streams start. The job function given to defineJob()
 * receives one and builds its pipeline on it; Eddy then plans, deploys and runs that pipeline.
 */
import {
  compileCheckpointConfig,
  compileRestartStrategy,
  defaultRestartStrategy,
  type CheckpointConfig,
  type CheckpointingOptions,
  type JobConfig,
  type OperatorSpec,
  type RestartStrategyConfig,
  type RestartStrategyOptions,
  type Source,
  type WatermarkStrategySpec,
} from '@eddy/common';
import { SingleOutputStreamOperator } from './datastream.js';
import { PlanBuilder } from './graph/plan-builder.js';
import { CollectionSource } from './connectors/collection-source.js';
import { GeneratorSource, type GeneratorOptions } from './connectors/generator-source.js';

export class StreamExecutionEnvironment {
  /** @internal */
  readonly builder: PlanBuilder;

  /** @internal */
  constructor(defaultParallelism: number) {
    this.builder = new PlanBuilder(defaultParallelism);
  }

  /** Default parallelism of operators that do not set their own (from `-p`, unless set here). */
  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new TypeError(`parallelism must be a positive integer, got ${parallelism}`);
    this.builder.defaultParallelism = parallelism;
    return this;
  }

  getParallelism(): number {
    return this.builder.defaultParallelism;
  }

  /** Number of key groups: the upper bound of any keyed operator's parallelism. @default 128 */
  setMaxParallelism(maxParallelism: number): this {
    this.builder.maxParallelism = maxParallelism;
    return this;
  }

  setJobName(name: string): this {
    this.builder.jobName = name;
    return this;
  }

  /** Longest time a record may wait in a partly filled network buffer. @default 100 ms */
  setBufferTimeout(ms: number): this {
    return this.configure({ bufferTimeoutMs: ms });
  }

  disableOperatorChaining(): this {
    this.builder.chaining = false;
    return this;
  }

  /** Where keyed state lives: 'leveldb' (default; may outgrow memory) or 'heap' (small state, tests). */
  setStateBackend(kind: 'leveldb' | 'heap'): this {
    if (kind !== 'leveldb' && kind !== 'heap') throw new TypeError(`state backend must be 'leveldb' or 'heap', got '${String(kind)}'`);
    this.builder.config = { ...this.builder.config, stateBackend: kind };
    return this;
  }

  /**
   * Takes a checkpoint of the whole job every `intervalMs` (Flink's asynchronous barrier snapshots,
   * docs/decisions/0001-checkpoints.md), so a failed job restarts from its latest checkpoint with
   * exactly-once state and two-phase-commit sinks. Off by default. Every source of the job must be
   * able to take part (the built-in ones are), or the job is rejected at submission. Throws a
   * ValidationError naming the invalid option.
   *
   * API only for now: the options are checked and carried in the job's config, but the runtime does
   * not take checkpoints yet.
   */
  enableCheckpointing(intervalMs: number, options: CheckpointingOptions = {}): this {
    this.builder.config = { ...this.builder.config, checkpointing: compileCheckpointConfig(intervalMs, options) };
    return this;
  }

  /** The compiled checkpointing options; null when checkpointing is off. */
  getCheckpointConfig(): CheckpointConfig | null {
    return this.builder.config.checkpointing;
  }

  /**
   * What the JobManager does when an attempt of the job fails: `fixed-delay`, `exponential-backoff`,
   * `failure-rate` or `none`; options left out take Flink's defaults. Unset: `none` without
   * checkpointing, `exponential-backoff` with it. Throws a ValidationError naming the invalid option.
   *
   * API only for now: carried in the job's config; the JobManager does not restart jobs yet.
   */
  setRestartStrategy(strategy: RestartStrategyOptions): this {
    this.builder.restartStrategy = compileRestartStrategy(strategy);
    return this;
  }

  /** The strategy chosen with setRestartStrategy(), or the default for the current checkpointing. */
  getRestartStrategy(): RestartStrategyConfig {
    return this.builder.restartStrategy ?? defaultRestartStrategy(this.builder.config.checkpointing);
  }

  configure(config: Partial<JobConfig>): this {
    const { stateBackend, checkpointing, restartStrategy, ...numbers } = config;
    for (const [k, v] of Object.entries(numbers)) {
      if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`configuration '${k}' must be a non-negative number`);
    }
    if (stateBackend !== undefined) this.setStateBackend(stateBackend);
    if (checkpointing === null) this.builder.config = { ...this.builder.config, checkpointing: null };
    else if (checkpointing !== undefined) {
      const { intervalMs, ...options } = checkpointing;
      this.enableCheckpointing(intervalMs, options);
    }
    if (restartStrategy !== undefined) this.setRestartStrategy(restartStrategy);
    this.builder.config = { ...this.builder.config, ...numbers };
    return this;
  }

  /** A stream from a source; with a watermark strategy, event time and watermarks are tracked per split. */
  fromSource<T>(source: Source<T, unknown>, watermarks?: WatermarkStrategySpec<T> | string, name?: string): SingleOutputStreamOperator<T> {
    if (typeof watermarks === 'string') [name, watermarks] = [watermarks, undefined];
    const label = name ?? `Source: ${source.describe?.() ?? source.constructor.name}`;
    const spec: OperatorSpec = watermarks
      ? { kind: 'source', source: source as Source<unknown, unknown>, watermarks: watermarks as WatermarkStrategySpec }
      : { kind: 'source', source: source as Source<unknown, unknown> };
    const node = this.builder.add(spec, label, []);
    if (source.boundedness === undefined) throw new TypeError('a source must declare its boundedness');
    return new SingleOutputStreamOperator<T>(this.builder, node);
  }

  /** A bounded stream of the given items (re-created from code in every process, like all job code). */
  fromCollection<T>(items: readonly T[]): SingleOutputStreamOperator<T> {
    return this.fromSource(new CollectionSource(items), 'Source: Collection').setParallelism(1);
  }

  fromElements<T>(...items: T[]): SingleOutputStreamOperator<T> {
    return this.fromCollection(items);
  }

  /**
   * A synthetic stream: record i is `generate(i)` for i in [0, count); `count` Infinity makes it
   * unbounded. Parallel: subtask s of p generates s, s+p, s+2p, ...
   */
  fromGenerator<T>(count: number, generate: (index: number) => T, options: GeneratorOptions = {}): SingleOutputStreamOperator<T> {
    return this.fromSource(new GeneratorSource(count, generate, options), 'Source: Generator');
  }
}

/**
 * Keyed state as user functions see it (Flink's ValueState, ListState, MapState, ReducingState,
 * AggregatingState). Every access is scoped to the key of the record being processed; the runtime
 * sets that key before calling the function. Accesses are synchronous.
 */

/** Turns values into bytes for the state backend. Values must survive encode/decode unchanged. */
export interface StateCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** Time-to-live: an entry not written (or, with 'on-read-and-write', not read) for ttlMs is expired and never returned. */
export interface StateTtlConfig {
  readonly ttlMs: number;
  /** @default 'on-create-and-write' */
  readonly update?: 'on-create-and-write' | 'on-read-and-write';
}

export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  /** Needed by merging (session) windows. */
  merge?(a: ACC, b: ACC): ACC;
}

interface DescriptorBase {
  /** Unique per operator; state in checkpoints is keyed by (operator id, name). */
  readonly name: string;
  readonly ttl?: StateTtlConfig;
}

export interface ValueStateSpec extends DescriptorBase {
  readonly kind: 'value';
  readonly codec?: StateCodec<unknown>;
  readonly defaultValue?: unknown;
}
export interface ListStateSpec extends DescriptorBase {
  readonly kind: 'list';
  readonly codec?: StateCodec<unknown>; // of one element
}
export interface MapStateSpec extends DescriptorBase {
  readonly kind: 'map';
  readonly codec?: StateCodec<unknown>; // of one value; map keys are serialized like record keys
}
export interface ReducingStateSpec extends DescriptorBase {
  readonly kind: 'reducing';
  readonly codec?: StateCodec<unknown>;
  readonly reduce: (a: unknown, b: unknown) => unknown;
}
export interface AggregatingStateSpec extends DescriptorBase {
  readonly kind: 'aggregating';
  readonly codec?: StateCodec<unknown>; // of the accumulator
  readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
}

/** What a state descriptor is, structurally (the SDK's descriptor classes implement these). */
export type StateSpec = ValueStateSpec | ListStateSpec | MapStateSpec | ReducingStateSpec | AggregatingStateSpec;

export interface ValueState<T> {
  value(): T | undefined;
  update(value: T): void;
  clear(): void;
}

export interface ListState<T> {
  get(): T[];
  add(value: T): void;
  addAll(values: readonly T[]): void;
  update(values: readonly T[]): void;
  clear(): void;
}

export interface MapState<K, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  entries(): [K, V][];
  keys(): K[];
  values(): V[];
  isEmpty(): boolean;
  clear(): void;
}

export interface ReducingState<T> {
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}

/** Typed descriptors: the SDK's classes carry the value types for inference. */
export interface TypedSpec<S extends StateSpec, _T> {
  readonly spec: S;
}

/** Where user functions get keyed state (RuntimeContext on keyed streams). */
export interface KeyedStateStore {
  getState<T>(descriptor: TypedSpec<ValueStateSpec, T>): ValueState<T>;
  getListState<T>(descriptor: TypedSpec<ListStateSpec, T>): ListState<T>;
  getMapState<K, V>(descriptor: TypedSpec<MapStateSpec, [K, V]>): MapState<K, V>;
  getReducingState<T>(descriptor: TypedSpec<ReducingStateSpec, T>): ReducingState<T>;
  getAggregatingState<IN, OUT>(descriptor: TypedSpec<AggregatingStateSpec, [IN, OUT]>): AggregatingState<IN, OUT>;
}

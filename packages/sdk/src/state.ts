/**
 * Keyed state descriptors: declare state by name (unique per operator), with an optional codec and
 * time-to-live, and get it from the RuntimeContext in open():
 *
 * ```ts
 * const count = new ValueStateDescriptor<number>('count', { defaultValue: 0 });
 * ...open(ctx) { this.count = ctx.getState(count); }
 * ```
 */
import type {
  AggregateFunction,
  AggregatingStateSpec,
  ListStateSpec,
  MapStateSpec,
  ReducingStateSpec,
  StateCodec,
  StateTtlConfig,
  TypedSpec,
  ValueStateSpec,
} from '@eddy/common';

export interface StateOptions<T> {
  codec?: StateCodec<T>;
  ttl?: StateTtlConfig;
}

function check(name: string): string {
  if (typeof name !== 'string' || name === '') throw new TypeError('a state descriptor needs a non-empty name');
  return name;
}

function base<T>(name: string, o: StateOptions<T>): { name: string; codec?: StateCodec<unknown>; ttl?: StateTtlConfig } {
  if (o.ttl !== undefined && !(o.ttl.ttlMs > 0)) throw new TypeError(`state '${name}': ttl.ttlMs must be positive`);
  return { name: check(name), ...(o.codec ? { codec: o.codec as StateCodec<unknown> } : {}), ...(o.ttl ? { ttl: o.ttl } : {}) };
}

export class ValueStateDescriptor<T> implements TypedSpec<ValueStateSpec, T> {
  readonly spec: ValueStateSpec;
  constructor(name: string, options: StateOptions<T> & { defaultValue?: T } = {}) {
    this.spec = { kind: 'value', ...base(name, options), ...(options.defaultValue !== undefined ? { defaultValue: options.defaultValue } : {}) };
  }
}

export class ListStateDescriptor<T> implements TypedSpec<ListStateSpec, T> {
  readonly spec: ListStateSpec;
  constructor(name: string, options: StateOptions<T> = {}) {
    this.spec = { kind: 'list', ...base(name, options) };
  }
}

export class MapStateDescriptor<K, V> implements TypedSpec<MapStateSpec, [K, V]> {
  readonly spec: MapStateSpec;
  constructor(name: string, options: StateOptions<V> = {}) {
    this.spec = { kind: 'map', ...base(name, options) };
  }
}

export class ReducingStateDescriptor<T> implements TypedSpec<ReducingStateSpec, T> {
  readonly spec: ReducingStateSpec;
  constructor(name: string, reduce: (a: T, b: T) => T, options: StateOptions<T> = {}) {
    if (typeof reduce !== 'function') throw new TypeError(`state '${name}' needs a reduce function`);
    this.spec = { kind: 'reducing', ...base(name, options), reduce: reduce as (a: unknown, b: unknown) => unknown };
  }
}

export class AggregatingStateDescriptor<IN, ACC, OUT> implements TypedSpec<AggregatingStateSpec, [IN, OUT]> {
  readonly spec: AggregatingStateSpec;
  constructor(name: string, aggregate: AggregateFunction<IN, ACC, OUT>, options: StateOptions<ACC> = {}) {
    if (typeof aggregate?.createAccumulator !== 'function') throw new TypeError(`state '${name}' needs an AggregateFunction`);
    this.spec = { kind: 'aggregating', ...base(name, options), aggregate: aggregate as AggregateFunction<unknown, unknown, unknown> };
  }
}

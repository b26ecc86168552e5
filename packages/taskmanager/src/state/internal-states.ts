/**
 * The keyed state kinds over a StateTable: value, list, reducing and aggregating state, all stored as
 * one entry per (state, current key, namespace). Map state is in internal-map-state.ts.
 *
 * Per access: at most one cache-key build (the per-key prefix is built once per state and key change,
 * a non-empty namespace is appended) and one table lookup; the current key's bytes and key group come
 * from CurrentKeyContext, computed once per setCurrentKey().
 *
 * TTL: each entry carries its write time (and read time with 'on-read-and-write'); an entry with
 * `ts + ttlMs <= now` is absent, and is removed when it is read (lazy cleanup). Entries stored without
 * a timestamp (written before TTL was configured) never expire.
 *
 * Values are held by reference: a value returned by value()/get() is the cached one, so change it only
 * through update()/add(). Invariant: every state method checks the keyed context first.
 */
import type { AggregateFunction, StateCodec, StateSpec } from '@eddy/common';
import type { CurrentKeyContext } from './current-key-context.js';
import type { StateEntry, StateTable } from './state-table.js';
import { namespaceChars, statePrefix } from './state-key-codec.js';
import { NO_TIMESTAMP } from './state-value-codec.js';
import type {
  InternalAggregatingState,
  InternalListState,
  InternalReducingState,
  InternalValueState,
  Namespaced,
} from './keyed-state-backend.js';

/** What every state gets from its backend. */
export interface StateContext {
  readonly ctx: CurrentKeyContext;
  readonly table: StateTable;
  readonly stateId: number;
  readonly codec: StateCodec<unknown>;
  readonly now: () => number;
}

export abstract class AbstractInternalState implements Namespaced {
  protected readonly ctx: CurrentKeyContext;
  protected readonly table: StateTable;
  protected readonly codec: StateCodec<unknown>;
  private readonly now: () => number;
  private readonly stateId: number;
  private readonly ttlMs: number;
  private readonly touchOnRead: boolean;
  private namespace = '';
  protected nsChars = '';
  private prefixGeneration = -1;
  private prefix = '';

  constructor(
    sc: StateContext,
    protected readonly spec: StateSpec,
  ) {
    this.ctx = sc.ctx;
    this.table = sc.table;
    this.codec = sc.codec;
    this.now = sc.now;
    this.stateId = sc.stateId;
    this.ttlMs = spec.ttl?.ttlMs ?? 0;
    this.touchOnRead = spec.ttl?.update === 'on-read-and-write';
  }

  setNamespace(namespace: string): void {
    if (namespace === this.namespace) return;
    this.namespace = namespace;
    this.nsChars = this.encodeNamespace(namespace);
  }

  getNamespace(): string {
    return this.namespace;
  }

  protected encodeNamespace(namespace: string): string {
    return namespaceChars(namespace);
  }

  /** [key group][state id][len][key][namespace] of the current key; throws outside a keyed context. */
  protected stateKey(): string {
    const ctx = this.ctx;
    if (this.prefixGeneration !== ctx.generation) {
      ctx.check(`${this.spec.kind} state '${this.spec.name}'`);
      this.prefix = statePrefix(ctx.keyGroup, this.stateId, ctx.keyBytes);
      this.prefixGeneration = ctx.generation;
    }
    return this.nsChars === '' ? this.prefix : this.prefix + this.nsChars;
  }

  /** The live entry at `key`, undefined when absent or expired (an expired entry is removed). */
  protected readAt(key: string): StateEntry | undefined {
    const e = this.table.read(key, this.codec);
    if (e === undefined || this.ttlMs === 0 || e.ts === NO_TIMESTAMP) return e;
    const now = this.now();
    if (e.ts + this.ttlMs <= now) {
      this.table.remove(key);
      return undefined;
    }
    if (this.touchOnRead) this.table.write(key, this.codec, e.value, now);
    return e;
  }

  protected writeAt(key: string, value: unknown): void {
    this.table.write(key, this.codec, value, this.ttlMs === 0 ? NO_TIMESTAMP : this.now());
  }

  clear(): void {
    this.table.remove(this.stateKey());
  }
}

export class TableValueState<T> extends AbstractInternalState implements InternalValueState<T> {
  value(): T | undefined {
    const e = this.readAt(this.stateKey());
    return (e === undefined ? (this.spec as { defaultValue?: unknown }).defaultValue : e.value) as T | undefined;
  }

  update(value: T): void {
    if (value === undefined) this.clear();
    else this.writeAt(this.stateKey(), value);
  }
}

export class TableListState<T> extends AbstractInternalState implements InternalListState<T> {
  get(): T[] {
    const e = this.readAt(this.stateKey());
    return e === undefined ? [] : (e.value as T[]);
  }

  add(value: T): void {
    this.addAll([value]);
  }

  addAll(values: readonly T[]): void {
    if (values.length === 0) return;
    const key = this.stateKey();
    const e = this.readAt(key);
    if (e === undefined) {
      this.writeAt(key, values.slice());
      return;
    }
    const list = e.value as T[];
    for (const v of values) list.push(v);
    this.writeAt(key, list);
  }

  update(values: readonly T[]): void {
    if (values.length === 0) this.clear();
    else this.writeAt(this.stateKey(), values.slice());
  }
}

export class TableReducingState<T> extends AbstractInternalState implements InternalReducingState<T> {
  constructor(
    sc: StateContext,
    spec: StateSpec,
    private readonly reduce: (a: unknown, b: unknown) => unknown,
  ) {
    super(sc, spec);
  }

  get(): T | undefined {
    return this.readAt(this.stateKey())?.value as T | undefined;
  }

  add(value: T): void {
    const key = this.stateKey();
    const e = this.readAt(key);
    this.writeAt(key, e === undefined ? value : this.reduce(e.value, value));
  }
}

export class TableAggregatingState<IN, OUT> extends AbstractInternalState implements InternalAggregatingState<IN, OUT> {
  constructor(
    sc: StateContext,
    spec: StateSpec,
    private readonly fn: AggregateFunction<unknown, unknown, unknown>,
  ) {
    super(sc, spec);
  }

  get(): OUT | undefined {
    const e = this.readAt(this.stateKey());
    return e === undefined ? undefined : (this.fn.getResult(e.value) as OUT);
  }

  add(value: IN): void {
    const key = this.stateKey();
    const e = this.readAt(key);
    const acc = e === undefined ? this.fn.createAccumulator() : e.value;
    this.writeAt(key, this.fn.add(value, acc));
  }
}

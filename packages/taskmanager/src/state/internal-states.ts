/**
 * The keyed state kinds over a StateTable: value, list, reducing and aggregating state, all stored as
 * one entry per (state, current key, namespace). Map state is in internal-map-state.ts.
 *
 * Per access: one table lookup by (prefix, namespace chars); the per-key prefix is built once per state
 * and key change, from the current key's bytes and key group that CurrentKeyContext computes once per
 * setCurrentKey(). Nothing is concatenated on the hot path.
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

  /** [key group][state id][len][key] of the current key; throws outside a keyed context. */
  protected statePrefix(): string {
    const ctx = this.ctx;
    if (this.prefixGeneration !== ctx.generation) {
      ctx.check(`${this.spec.kind} state '${this.spec.name}'`);
      this.prefix = statePrefix(ctx.keyGroup, this.stateId, ctx.keyBytes);
      this.prefixGeneration = ctx.generation;
    }
    return this.prefix;
  }

  /** The live entry at (prefix, suffix), undefined when absent or expired (an expired entry is removed). */
  protected readAt(prefix: string, suffix: string): StateEntry | undefined {
    const e = this.table.read(prefix, suffix, this.codec);
    if (e === undefined || this.ttlMs === 0 || e.ts === NO_TIMESTAMP) return e;
    const now = this.now();
    if (e.ts + this.ttlMs <= now) {
      this.table.remove(prefix, suffix);
      return undefined;
    }
    if (this.touchOnRead) this.table.write(prefix, suffix, this.codec, e.value, now);
    return e;
  }

  protected writeAt(prefix: string, suffix: string, value: unknown): void {
    this.table.write(prefix, suffix, this.codec, value, this.ttlMs === 0 ? NO_TIMESTAMP : this.now());
  }

  /** The entry of the current key and namespace. */
  protected readCurrent(): StateEntry | undefined {
    return this.readAt(this.statePrefix(), this.nsChars);
  }

  protected writeCurrent(value: unknown): void {
    this.writeAt(this.statePrefix(), this.nsChars, value);
  }

  clear(): void {
    this.table.remove(this.statePrefix(), this.nsChars);
  }
}

export class TableValueState<T> extends AbstractInternalState implements InternalValueState<T> {
  value(): T | undefined {
    const e = this.readCurrent();
    return (e === undefined ? (this.spec as { defaultValue?: unknown }).defaultValue : e.value) as T | undefined;
  }

  update(value: T): void {
    if (value === undefined) this.clear();
    else this.writeCurrent(value);
  }
}

export class TableListState<T> extends AbstractInternalState implements InternalListState<T> {
  get(): T[] {
    const e = this.readCurrent();
    return e === undefined ? [] : (e.value as T[]);
  }

  add(value: T): void {
    this.addAll([value]);
  }

  addAll(values: readonly T[]): void {
    if (values.length === 0) return;
    const prefix = this.statePrefix();
    const ns = this.nsChars;
    const e = this.readAt(prefix, ns);
    if (e === undefined) {
      this.writeAt(prefix, ns, values.slice());
      return;
    }
    const list = e.value as T[];
    for (const v of values) list.push(v);
    this.writeAt(prefix, ns, list);
  }

  update(values: readonly T[]): void {
    if (values.length === 0) this.clear();
    else this.writeCurrent(values.slice());
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
    return this.readCurrent()?.value as T | undefined;
  }

  add(value: T): void {
    const prefix = this.statePrefix();
    const ns = this.nsChars;
    const e = this.readAt(prefix, ns);
    this.writeAt(prefix, ns, e === undefined ? value : this.reduce(e.value, value));
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
    const e = this.readCurrent();
    return e === undefined ? undefined : (this.fn.getResult(e.value) as OUT);
  }

  add(value: IN): void {
    const prefix = this.statePrefix();
    const ns = this.nsChars;
    const e = this.readAt(prefix, ns);
    const acc = e === undefined ? this.fn.createAccumulator() : e.value;
    this.writeAt(prefix, ns, this.fn.add(value, acc));
  }
}

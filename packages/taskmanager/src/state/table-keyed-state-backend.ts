/**
 * The KeyedStateBackend over a StateTable: the current key, the registry of states by
 * (operator id, state name) with their ids, and flushing delegated to the table. The heap and the
 * LevelDB backends are this class with a HeapStateTable or a LevelDbStateTable.
 *
 * Invariants: one state object per (operator id, name), of the kind it was first requested as; every
 * state shares this backend's CurrentKeyContext, so setCurrentKey() re-scopes all of them at once.
 * Single-threaded: the task thread calls everything, and awaits maybeFlush()/flush() between input
 * batches only.
 */
import {
  IllegalStateError,
  type AggregatingStateSpec,
  type KeyGroupRange,
  type ListStateSpec,
  type MapStateSpec,
  type ReducingStateSpec,
  type StateSpec,
  type ValueStateSpec,
} from '@eddy/common';
import { CurrentKeyContext } from './current-key-context.js';
import {
  AbstractInternalState,
  TableAggregatingState,
  TableListState,
  TableReducingState,
  TableValueState,
  type StateContext,
} from './internal-states.js';
import { TableMapState } from './internal-map-state.js';
import type {
  InternalAggregatingState,
  InternalListState,
  InternalMapState,
  InternalReducingState,
  InternalValueState,
  KeyedStateBackend,
} from './keyed-state-backend.js';
import type { StateIdRegistry } from './state-id-registry.js';
import type { KeyedStateHandle, KeyedStateSnapshot, SnapshotOptions } from './snapshot/keyed-state-handle.js';
import type { SnapshotStrategy } from './snapshot/snapshot-strategy.js';
import type { StateTable } from './state-table.js';
import { defaultStateCodec, listCodec } from './state-value-codec.js';

export class TableKeyedStateBackend implements KeyedStateBackend {
  private readonly ctx: CurrentKeyContext;
  private readonly states = new Map<string, { kind: StateSpec['kind']; state: AbstractInternalState }>();
  private closed = false;
  private restored = false;

  constructor(
    readonly kind: 'heap' | 'leveldb',
    readonly maxParallelism: number,
    readonly keyGroupRange: KeyGroupRange,
    /** The table, exposed for tests and metrics. */
    readonly table: StateTable,
    private readonly registry: StateIdRegistry,
    private readonly now: () => number,
    private readonly snapshots: SnapshotStrategy,
  ) {
    this.ctx = new CurrentKeyContext(maxParallelism, keyGroupRange);
  }

  setCurrentKey(key: unknown): void {
    this.ctx.set(key);
  }

  getCurrentKey(): unknown {
    return this.ctx.key;
  }

  getCurrentKeyGroup(): number {
    return this.ctx.keyGroup;
  }

  getValueState<T>(operatorId: string, spec: ValueStateSpec): InternalValueState<T> {
    return this.state(operatorId, spec, (sc) => new TableValueState<T>(sc, spec)) as TableValueState<T>;
  }

  getListState<T>(operatorId: string, spec: ListStateSpec): InternalListState<T> {
    return this.state(operatorId, spec, (sc) => new TableListState<T>(sc, spec)) as TableListState<T>;
  }

  getMapState<K, V>(operatorId: string, spec: MapStateSpec): InternalMapState<K, V> {
    return this.state(operatorId, spec, (sc) => new TableMapState<K, V>(sc, spec)) as TableMapState<K, V>;
  }

  getReducingState<T>(operatorId: string, spec: ReducingStateSpec): InternalReducingState<T> {
    return this.state(operatorId, spec, (sc) => new TableReducingState<T>(sc, spec, spec.reduce)) as TableReducingState<T>;
  }

  getAggregatingState<IN, OUT>(operatorId: string, spec: AggregatingStateSpec): InternalAggregatingState<IN, OUT> {
    return this.state(operatorId, spec, (sc) => new TableAggregatingState<IN, OUT>(sc, spec, spec.aggregate)) as TableAggregatingState<IN, OUT>;
  }

  maybeFlush(): Promise<void> | undefined {
    return this.table.maybeFlush();
  }

  flush(): Promise<void> {
    return this.table.flush();
  }

  snapshot(checkpointId: number, targetDir: string, options: SnapshotOptions = {}): Promise<KeyedStateSnapshot> {
    if (this.closed) return Promise.reject(new IllegalStateError('the keyed state backend is closed'));
    return this.snapshots.snapshot(checkpointId, targetDir, options);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.snapshots.notifyCheckpointComplete(checkpointId);
  }

  async restore(handles: readonly KeyedStateHandle[]): Promise<void> {
    if (this.closed) throw new IllegalStateError('the keyed state backend is closed');
    if (this.restored || this.states.size > 0 || this.registry.size > 0) {
      throw new IllegalStateError('restore() must come once, before any state is used, on a backend that holds no state (a fresh directory)');
    }
    this.restored = true;
    await this.snapshots.restore(handles);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.table.close();
  }

  private state(operatorId: string, spec: StateSpec, create: (sc: StateContext) => AbstractInternalState): AbstractInternalState {
    const key = operatorId + '\u0000' + spec.name;
    const known = this.states.get(key);
    if (known !== undefined) {
      if (known.kind !== spec.kind) {
        throw new IllegalStateError(
          `state '${spec.name}' of operator ${operatorId} was requested as ${spec.kind} state but already exists as ${known.kind} state`,
        );
      }
      return known.state;
    }
    if (this.closed) throw new IllegalStateError('the keyed state backend is closed');
    const stateId = this.registry.idFor(operatorId, spec.name, spec.kind, this.table);
    const element = spec.codec ?? undefined;
    const codec = spec.kind === 'list' ? listCodec(element) : (element ?? defaultStateCodec);
    this.snapshots.stateRegistered(stateId, spec.kind, codec);
    const state = create({ ctx: this.ctx, table: this.table, stateId, codec, now: this.now });
    this.states.set(key, { kind: spec.kind, state });
    return state;
  }
}

/**
 * The keyed state backend of one keyed task: state for the keys of the task's key-group range, scoped
 * to a current key the operator sets before calling user code, and to a namespace (a window, or '' for
 * plain keyed state). Reads are synchronous; writes go to an in-memory write buffer that reads see and
 * that is written out in batches between input batches, so the hot path never awaits per record.
 *
 * Layout (LevelDB): [key group: u16 BE][state id: u16 BE][serialized key][0x00 separator rules: see impl]
 * [namespace] — so one key group, and a key-group range, is one contiguous scan (checkpoints, rescaling).
 */
import type {
  AggregatingState,
  AggregatingStateSpec,
  KeyGroupRange,
  ListState,
  ListStateSpec,
  MapState,
  MapStateSpec,
  ReducingState,
  ReducingStateSpec,
  ValueState,
  ValueStateSpec,
} from '@eddy/common';
import type { KeyedStateHandle, KeyedStateSnapshot, SnapshotOptions } from './snapshot/keyed-state-handle.js';

/** Internal states can be re-scoped to a namespace (windows use one namespace per window). */
export interface Namespaced {
  setNamespace(namespace: string): void;
  getNamespace(): string;
}

export type InternalValueState<T> = ValueState<T> & Namespaced;
export type InternalListState<T> = ListState<T> & Namespaced;
export type InternalMapState<K, V> = MapState<K, V> & Namespaced;
export type InternalReducingState<T> = ReducingState<T> & Namespaced;
export type InternalAggregatingState<IN, OUT> = AggregatingState<IN, OUT> & Namespaced;

export interface KeyedStateBackend {
  readonly kind: 'heap' | 'leveldb';
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;

  /** Scopes every state access to `key`. Throws when its key group is outside keyGroupRange. */
  setCurrentKey(key: unknown): void;
  getCurrentKey(): unknown;
  getCurrentKeyGroup(): number;

  /** The same object for the same (operatorId, spec.name); a second call with another kind throws. */
  getValueState<T>(operatorId: string, spec: ValueStateSpec): InternalValueState<T>;
  getListState<T>(operatorId: string, spec: ListStateSpec): InternalListState<T>;
  getMapState<K, V>(operatorId: string, spec: MapStateSpec): InternalMapState<K, V>;
  getReducingState<T>(operatorId: string, spec: ReducingStateSpec): InternalReducingState<T>;
  getAggregatingState<IN, OUT>(operatorId: string, spec: AggregatingStateSpec): InternalAggregatingState<IN, OUT>;

  /**
   * Called by the task between input batches. Returns a promise when the write buffer or the heap
   * cache is over its limit and must be written out first; undefined when there is nothing to wait for.
   */
  maybeFlush(): Promise<void> | undefined;
  /** Writes every buffered write out. */
  flush(): Promise<void>;

  /**
   * The synchronous part of a snapshot for checkpoint `checkpointId`: captures a consistent view of
   * all keyed state and resolves with the snapshot whose write() is the asynchronous part. The task
   * awaits it at a batch boundary and touches no state until it resolves (LevelDB writes its write
   * buffer out first); from then on, writes never reach the snapshot. Files go under `targetDir`
   * (created), and shared LevelDB table files under `options.sharedDir` (see SnapshotOptions).
   */
  snapshot(checkpointId: number, targetDir: string, options?: SnapshotOptions): Promise<KeyedStateSnapshot>;
  /** Checkpoint `checkpointId` completed: later incremental snapshots reuse its shared files. */
  notifyCheckpointComplete(checkpointId: number): void;
  /**
   * Loads the key groups of this backend's range from `handles` (any kind, written by either backend,
   * for any key-group ranges). Call once, before any state is used; state ids are mapped by (operator
   * id, state name). Throws CorruptSnapshotError naming the file when a file is damaged.
   */
  restore(handles: readonly KeyedStateHandle[]): Promise<void>;
  /** Flushes and closes files; the state stays on disk. */
  close(): Promise<void>;
}

export interface StateBackendOptions {
  kind: 'heap' | 'leveldb';
  /** Directory of this task's database (leveldb); created if missing. */
  dir: string;
  maxParallelism: number;
  keyGroupRange: KeyGroupRange;
  /** Decoded entries kept on the heap in front of LevelDB. @default 100000 */
  cacheEntries?: number;
  /** Buffered writes before maybeFlush() asks to write them out. @default 10000 */
  writeBufferEntries?: number;
  /** Clock for TTL. @default Date.now */
  now?: () => number;
}

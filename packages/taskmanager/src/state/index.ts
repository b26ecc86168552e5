/**
 * Keyed state backends: heap (everything decoded in Maps) and LevelDB (a bounded heap cache and write
 * buffer in front of one classic-level database per keyed task), with snapshots for checkpoints
 * (a synchronous part, then write()) and restores by key-group range (docs/decisions/0002).
 *
 * @example
 * ```ts
 * const backend = await createKeyedStateBackend({ kind: 'leveldb', dir, maxParallelism: 128, keyGroupRange: { start: 0, end: 127 } });
 * const count = backend.getValueState<number>('op-1', { kind: 'value', name: 'count' });
 * backend.setCurrentKey('user-42');
 * count.update((count.value() ?? 0) + 1);
 * await backend.maybeFlush(); // between input batches
 * const snapshot = await backend.snapshot(1, '/checkpoints/job/chk-1/task-0', { sharedDir: '/checkpoints/job/shared' });
 * const handle = await snapshot.write(); // while records flow; then acknowledge with the handle
 * await backend.close();
 * ```
 */
export type {
  InternalAggregatingState,
  InternalListState,
  InternalMapState,
  InternalReducingState,
  InternalValueState,
  KeyedStateBackend,
  Namespaced,
  StateBackendOptions,
} from './keyed-state-backend.js';
export { createKeyedStateBackend, DEFAULT_CACHE_ENTRIES, DEFAULT_WRITE_BUFFER_ENTRIES } from './state-backend-factory.js';
export { defaultStateCodec } from './state-value-codec.js';
export { deserializeKey } from './state-key-codec.js';
export type {
  KeyedStateHandle,
  KeyedStateSnapshot,
  KeyGroupsStateHandle,
  LevelDbFilesStateHandle,
  LevelDbSnapshotFile,
  SnapshotOptions,
} from './snapshot/keyed-state-handle.js';
export { CorruptSnapshotError, IncompatibleSnapshotError, SnapshotConflictError } from './snapshot/snapshot-errors.js';

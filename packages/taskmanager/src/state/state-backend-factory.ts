/**
 * Creates the keyed state backend of one keyed task from StateBackendOptions: validates the options,
 * fills defaults, and for 'leveldb' opens (creating if missing) the task's database in `options.dir`
 * and loads its persisted state ids.
 */
import { ClassicLevel } from 'classic-level';
import { tmpdir } from 'node:os';
import { MAX_MAX_PARALLELISM, ValidationError } from '@eddy/common';
import type { KeyedStateBackend, StateBackendOptions } from './keyed-state-backend.js';
import { LevelDbStateTable } from './leveldb-state-table.js';
import { StateIdRegistry } from './state-id-registry.js';
import { HeapStateTable } from './state-table.js';
import { TableKeyedStateBackend } from './table-keyed-state-backend.js';
import { HeapSnapshotStrategy } from './snapshot/heap-snapshot-strategy.js';
import { LevelDbSnapshotStrategy } from './snapshot/leveldb-snapshot-strategy.js';

export const DEFAULT_CACHE_ENTRIES = 100_000;
export const DEFAULT_WRITE_BUFFER_ENTRIES = 10_000;

export async function createKeyedStateBackend(options: StateBackendOptions): Promise<KeyedStateBackend> {
  const { maxParallelism, keyGroupRange } = options;
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > MAX_MAX_PARALLELISM) {
    throw new ValidationError(`maxParallelism must be an integer in [1, ${MAX_MAX_PARALLELISM}], got ${maxParallelism}`);
  }
  if (!Number.isInteger(keyGroupRange.start) || !Number.isInteger(keyGroupRange.end) || keyGroupRange.start < 0 || keyGroupRange.end >= maxParallelism) {
    throw new ValidationError(`keyGroupRange [${keyGroupRange.start}, ${keyGroupRange.end}] is not within [0, ${maxParallelism - 1}]`);
  }
  const cacheEntries = positive('cacheEntries', options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
  const writeBufferEntries = positive('writeBufferEntries', options.writeBufferEntries ?? DEFAULT_WRITE_BUFFER_ENTRIES);
  const now = options.now ?? Date.now;
  switch (options.kind) {
    case 'heap': {
      const table = new HeapStateTable();
      const registry = new StateIdRegistry();
      const snapshots = new HeapSnapshotStrategy(table, registry, maxParallelism, keyGroupRange, tmpdir());
      return new TableKeyedStateBackend('heap', maxParallelism, keyGroupRange, table, registry, now, snapshots);
    }
    case 'leveldb': {
      if (!options.dir) throw new ValidationError('a leveldb state backend needs a directory (dir)');
      const db = new ClassicLevel<Buffer, Buffer>(options.dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
      await db.open();
      try {
        const registry = await StateIdRegistry.load(db);
        const table = new LevelDbStateTable(db, cacheEntries, writeBufferEntries);
        const snapshots = new LevelDbSnapshotStrategy(table, registry, maxParallelism, keyGroupRange);
        return new TableKeyedStateBackend('leveldb', maxParallelism, keyGroupRange, table, registry, now, snapshots);
      } catch (err) {
        await db.close();
        throw err;
      }
    }
    default:
      throw new ValidationError(`unknown state backend kind '${(options as { kind: string }).kind}': expected 'heap' or 'leveldb'`);
  }
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ValidationError(`${name} must be a positive integer, got ${value}`);
  return value;
}

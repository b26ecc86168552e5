/**
 * Snapshots and restores of the heap backend.
 *
 * Snapshot: the heap table changes entries in place, and values too (a list append pushes onto the
 * stored array, a map's key index is a Set updated in place, user functions may mutate an
 * accumulator and hand it back), so holding references would let later writes leak into the
 * snapshot. The synchronous part therefore copies every value the only way that is faithful for any
 * codec: it encodes it, into one buffer per key group. That costs time proportional to the state
 * (measured in docs/decisions/0002-state-snapshots.md), which is why the heap backend is for small
 * state; it adds nothing to state accesses. The asynchronous part writes the buffers out.
 *
 * Restore: the heap holds decoded values, but codecs come with the states, which operators create
 * after the restore. Restored entries stay encoded, by state id, until their state is registered and
 * are decoded then, once; a snapshot before that writes them as they are.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { IllegalStateError, type KeyGroupRange, type StateCodec } from '@eddy/common';
import type { StateIdRegistry } from '../state-id-registry.js';
import { META_KEY_GROUP, isMapIndexSuffix, statePrefixLength } from '../state-key-codec.js';
import type { HeapStateTable } from '../state-table.js';
import { decodeStored, keyIndexCodec, storedTimestamp } from '../state-value-codec.js';
import { ByteBuilder } from './byte-builder.js';
import { KEYED_STATE_MAGIC, rangeSize } from './key-group-file.js';
import { KeyGroupFileWriter, SLICE_BYTES } from './key-group-file-writer.js';
import type { KeyedStateHandle, KeyedStateSnapshot } from './keyed-state-handle.js';
import { encodeStateTable, encodeStoredEntry, encodeValueEntry, keyedSnapshotFileName, type SnapshotStateInfo, type StateKind } from './keyed-snapshot-format.js';
import { restoreHandles, type RestoreSink } from './keyed-state-restore.js';
import type { SnapshotStrategy } from './snapshot-strategy.js';

interface Registered {
  readonly kind: StateKind;
  readonly codec: StateCodec<unknown>;
}

/** Entries of one key group, encoded. */
interface GroupBytes {
  readonly out: ByteBuilder;
  count: number;
}

export class HeapSnapshotStrategy implements SnapshotStrategy {
  private readonly registered = new Map<number, Registered>();
  /** Restored entries of states not registered yet: state id -> [state key, stored value]. */
  private readonly pending = new Map<number, Array<[Buffer, Buffer]>>();

  constructor(
    private readonly table: HeapStateTable,
    private readonly registry: StateIdRegistry,
    private readonly maxParallelism: number,
    private readonly keyGroupRange: KeyGroupRange,
    private readonly scratchDir: string,
  ) {}

  snapshot(checkpointId: number, targetDir: string): Promise<KeyedStateSnapshot> {
    const { start } = this.keyGroupRange;
    const groups = new Array<GroupBytes | undefined>(rangeSize(this.keyGroupRange));
    const group = (kg: number): GroupBytes => (groups[kg - start] ??= { out: new ByteBuilder(1024), count: 0 });
    let lastId = -1;
    let last: Registered | undefined;
    this.table.forEachEntry((prefix, suffix, value, ts) => {
      const kg = (prefix.charCodeAt(0) << 8) | prefix.charCodeAt(1);
      if (kg === META_KEY_GROUP) return; // state-id records: the file's state-id table says them
      const id = (prefix.charCodeAt(2) << 8) | prefix.charCodeAt(3);
      if (id !== lastId) {
        last = this.registered.get(id);
        lastId = id;
        if (last === undefined) throw new IllegalStateError(`the heap table holds entries of state id ${id}, which no registered state has`);
      }
      const codec = last!.kind === 'map' && isMapIndexSuffix(suffix) ? keyIndexCodec : last!.codec;
      const g = group(kg);
      encodeValueEntry(g.out, id, prefix, suffix, codec.encode(value), ts);
      g.count++;
    });
    for (const entries of this.pending.values()) {
      for (const [key, value] of entries) {
        const g = group(key.readUInt16BE(0));
        encodeStoredEntry(g.out, key, value);
        g.count++;
      }
    }
    const states: SnapshotStateInfo[] = this.registry.list();
    const meta = { maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange, checkpointId };
    let discarded = false;
    return Promise.resolve({
      checkpointId,
      write: async (): Promise<KeyedStateHandle> => {
        if (discarded) throw new IllegalStateError(`snapshot ${checkpointId} was discarded`);
        await mkdir(targetDir, { recursive: true });
        const file = join(targetDir, keyedSnapshotFileName(this.keyGroupRange));
        const w = await KeyGroupFileWriter.create(file, KEYED_STATE_MAGIC, meta, encodeStateTable(states));
        try {
          for (let i = 0; i < groups.length; i++) {
            const g = groups[i];
            if (g === undefined) continue;
            groups[i] = undefined; // written: let it go
            w.beginGroup(start + i);
            const bytes = g.out.view();
            for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
              w.out.bytes(bytes.subarray(at, at + SLICE_BYTES));
              await w.drain();
            }
            for (let n = 0; n < g.count; n++) w.entryAdded();
            await w.endGroup();
          }
          const bytes = await w.finish();
          return { kind: 'key-groups', checkpointId, maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange, file, bytes };
        } catch (err) {
          await w.abort();
          throw err;
        }
      },
      discard: async (): Promise<void> => {
        discarded = true;
        groups.fill(undefined);
      },
    });
  }

  notifyCheckpointComplete(): void {}

  async restore(handles: readonly KeyedStateHandle[]): Promise<void> {
    const sink: RestoreSink = {
      add: (key, value) => {
        const id = key.readUInt16BE(2);
        const entry: [Buffer, Buffer] = [Buffer.from(key), Buffer.from(value)];
        const r = this.registered.get(id);
        if (r !== undefined) this.decodeInto(r, [entry]);
        else {
          let list = this.pending.get(id);
          if (list === undefined) this.pending.set(id, (list = []));
          list.push(entry);
        }
      },
      drain: () => Promise.resolve(),
    };
    const target = { maxParallelism: this.maxParallelism, keyGroupRange: this.keyGroupRange, registry: this.registry, table: this.table, scratchDir: this.scratchDir };
    await restoreHandles(handles, target, sink);
  }

  stateRegistered(stateId: number, kind: StateKind, codec: StateCodec<unknown>): void {
    const r = { kind, codec };
    this.registered.set(stateId, r);
    const entries = this.pending.get(stateId);
    if (entries === undefined) return;
    this.pending.delete(stateId);
    this.decodeInto(r, entries);
  }

  private decodeInto(r: Registered, entries: ReadonlyArray<[Buffer, Buffer]>): void {
    for (const [key, value] of entries) {
      const split = statePrefixLength(key.toString('latin1'));
      // fresh strings from the bytes: slices of a longer string would keep it alive in the table
      const prefix = key.toString('latin1', 0, split);
      const suffix = key.toString('latin1', split);
      const codec = r.kind === 'map' && isMapIndexSuffix(suffix) ? keyIndexCodec : r.codec;
      this.table.write(prefix, suffix, codec, decodeStored(codec, value), storedTimestamp(value));
    }
  }
}

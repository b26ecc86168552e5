/**
 * Reads keyed state snapshots into a backend, whatever wrote them: every handle kind, any number of
 * handles (a rescaled job hands a subtask the handles of all old subtasks whose key groups overlap
 * its own), only the key groups of the restoring backend's range. State ids are mapped by
 * (operator id, state name) to the restoring backend's ids, registered on first use, so a state that
 * now has another kind fails the restore (StateIdRegistry's rule).
 *
 * Entries reach the backend through a RestoreSink as (state key with the new id, stored value); the
 * sink decides to write them to LevelDB or keep them for the heap.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyGroupRange } from '@eddy/common';
import { StateIdRegistry } from '../state-id-registry.js';
import type { StateTable } from '../state-table.js';
import { KeyGroupFileReader } from './key-group-file-reader.js';
import { KEYED_STATE_MAGIC, intersectRanges, rangeSize } from './key-group-file.js';
import type { KeyGroupsStateHandle, KeyedStateHandle, LevelDbFilesStateHandle } from './keyed-state-handle.js';
import { decodeStateTable, forEachEntry, type SnapshotStateInfo } from './keyed-snapshot-format.js';
import { materializeDatabase, openSnapshotDatabase } from './leveldb-files.js';
import { CorruptSnapshotError, IncompatibleSnapshotError } from './snapshot-errors.js';

export interface RestoreSink {
  /** One entry (views: copy what is kept). */
  add(key: Buffer, value: Buffer): void;
  /** Called after each key group or batch: may write what was added so far. */
  drain(): Promise<void>;
}

export interface RestoreTarget {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly registry: StateIdRegistry;
  readonly table: StateTable;
  /** Parent directory of scratch copies of LevelDB snapshots. */
  readonly scratchDir: string;
}

/** The handles that hold key groups of `target`'s range; throws for another max parallelism. */
export function relevantHandles(handles: readonly KeyedStateHandle[], target: RestoreTarget): KeyedStateHandle[] {
  for (const h of handles) {
    if (h.maxParallelism !== target.maxParallelism) {
      throw new IncompatibleSnapshotError(
        `a snapshot of max parallelism ${h.maxParallelism} cannot be restored with max parallelism ${target.maxParallelism}: ` +
          'keys would change key groups; restore with the max parallelism the job ran with',
      );
    }
  }
  return handles.filter((h) => rangeSize(intersectRanges(h.keyGroupRange, target.keyGroupRange)) > 0);
}

export async function restoreHandles(handles: readonly KeyedStateHandle[], target: RestoreTarget, sink: RestoreSink): Promise<void> {
  for (const h of relevantHandles(handles, target)) {
    if (h.kind === 'key-groups') await restoreKeyGroupsFile(h, target, sink);
    else await restoreLevelDbFiles(h, target, sink);
  }
}

/** Maps the state ids of one snapshot to the target's, registering each on first use. */
class StateIdMap {
  private readonly ids = new Map<number, number>();
  constructor(
    private readonly states: ReadonlyMap<number, SnapshotStateInfo>,
    private readonly target: RestoreTarget,
    private readonly source: string,
  ) {}

  map(id: number): number {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    const s = this.states.get(id);
    if (s === undefined) throw new CorruptSnapshotError(this.source, `an entry has state id ${id}, which its state-id table does not list`);
    const mapped = this.target.registry.idFor(s.operatorId, s.name, s.kind, this.target.table);
    this.ids.set(id, mapped);
    return mapped;
  }
}

function restoredKey(keyGroup: number, stateId: number, rest: Buffer): Buffer {
  const key = Buffer.allocUnsafe(4 + rest.length);
  key.writeUInt16BE(keyGroup, 0);
  key.writeUInt16BE(stateId, 2);
  rest.copy(key, 4);
  return key;
}

async function restoreKeyGroupsFile(h: KeyGroupsStateHandle, target: RestoreTarget, sink: RestoreSink): Promise<void> {
  const reader = await KeyGroupFileReader.open(h.file, KEYED_STATE_MAGIC);
  try {
    if (reader.maxParallelism !== h.maxParallelism) reader.corrupt(`its max parallelism ${reader.maxParallelism} is not the handle's ${h.maxParallelism}`);
    const ids = new StateIdMap(decodeStateTable(reader), target, h.file);
    const range = intersectRanges(reader.keyGroupRange, target.keyGroupRange);
    for (let g = range.start; g <= range.end; g++) {
      const block = await reader.readGroup(g);
      if (block === undefined) continue;
      forEachEntry(reader, g, block.entries, block.count, (stateId, rest, value) => sink.add(restoredKey(g, ids.map(stateId), rest), value));
      await sink.drain();
    }
  } finally {
    await reader.close();
  }
}

const ITERATOR_BATCH = 1000;

/** Lays the snapshot's files out in a scratch directory, opens them and copies the key groups in range. */
async function restoreLevelDbFiles(h: LevelDbFilesStateHandle, target: RestoreTarget, sink: RestoreSink): Promise<void> {
  const dir = await mkdtemp(join(target.scratchDir, 'eddy-restore-'));
  try {
    await materializeDatabase(h, join(dir, 'db'));
    const db = await openSnapshotDatabase(h, join(dir, 'db'));
    try {
      const records = (await StateIdRegistry.load(db)).list();
      const source = h.files.find((f) => f.name.startsWith('MANIFEST-'))?.path ?? dir;
      const ids = new StateIdMap(new Map(records.map((r) => [r.id, r])), target, source);
      const range = intersectRanges(h.keyGroupRange, target.keyGroupRange);
      const gte = Buffer.from([range.start >>> 8, range.start & 0xff]);
      const lt = Buffer.from([(range.end + 1) >>> 8, (range.end + 1) & 0xff]);
      const it = db.iterator({ gte, lt });
      try {
        for (let batch = await it.nextv(ITERATOR_BATCH); batch.length > 0; batch = await it.nextv(ITERATOR_BATCH)) {
          for (const [key, value] of batch) sink.add(restoredKey(key.readUInt16BE(0), ids.map(key.readUInt16BE(2)), key.subarray(4)), value);
          await sink.drain();
        }
      } finally {
        await it.close();
      }
    } finally {
      await db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Assigns each (operator id, state name) a 16-bit state id, the second field of every state key.
 * Ids are persisted in the metadata key range (key group 0xFFFF, `sid:` records) through the state
 * table, so they reach LevelDB with the first flush after assignment — before or with the data that
 * uses them, since the table writes in write order — and are stable across reopen.
 *
 * Invariants: ids are unique and never reused; a name keeps the kind it was first registered with
 * (across reopen too); id 0xFFFF is never assigned.
 */
import type { ClassicLevel } from 'classic-level';
import { IllegalStateError, type StateSpec } from '@eddy/common';
import type { StateTable } from './state-table.js';
import { META_KEY_GROUP, u16Chars } from './state-key-codec.js';
import { NO_TIMESTAMP, decodeStored, defaultStateCodec } from './state-value-codec.js';

type StateKind = StateSpec['kind'];

export interface StateIdRecord {
  readonly id: number;
  readonly kind: StateKind;
  readonly operatorId: string;
  readonly name: string;
}

const META_PREFIX = u16Chars(META_KEY_GROUP) + 'sid:';
const MAX_STATE_ID = 0xfffe;

export class StateIdRegistry {
  private readonly records = new Map<string, StateIdRecord>();
  private nextId = 1;

  /** Reads the ids persisted in `db` (an empty registry for a new database). */
  static async load(db: ClassicLevel<Buffer, Buffer>): Promise<StateIdRegistry> {
    const registry = new StateIdRegistry();
    await registry.reload(db);
    return registry;
  }

  /** Forgets every id and reads those persisted in `db` (a database restored from snapshot files). */
  async reload(db: ClassicLevel<Buffer, Buffer>): Promise<void> {
    this.records.clear();
    this.nextId = 1;
    const gte = Buffer.from(META_PREFIX, 'latin1');
    const lt = Buffer.from(u16Chars(META_KEY_GROUP) + 'sid;', 'latin1');
    for await (const [, value] of db.iterator({ gte, lt })) {
      this.add(decodeStored(defaultStateCodec, value) as StateIdRecord);
    }
  }

  get size(): number {
    return this.records.size;
  }

  /** The id of (operatorId, name), assigned and persisted through `table` on first use. */
  idFor(operatorId: string, name: string, kind: StateKind, table: StateTable): number {
    const key = recordKey(operatorId, name);
    const known = this.records.get(key);
    if (known !== undefined) {
      if (known.kind !== kind) {
        throw new IllegalStateError(
          `state '${name}' of operator ${operatorId} is ${kind} state here but was registered as ${known.kind} state ` +
            '(in this task or in the restored state): a state name keeps its kind',
        );
      }
      return known.id;
    }
    if (this.nextId > MAX_STATE_ID) {
      throw new IllegalStateError(`too many keyed states in one task: at most ${MAX_STATE_ID}`);
    }
    const record: StateIdRecord = { id: this.nextId, kind, operatorId, name };
    this.add(record);
    table.write(META_PREFIX, Buffer.from(key, 'utf8').toString('latin1'), defaultStateCodec, record, NO_TIMESTAMP);
    return record.id;
  }

  /** Every registered state (for snapshots and debugging). */
  list(): StateIdRecord[] {
    return [...this.records.values()];
  }

  private add(record: StateIdRecord): void {
    this.records.set(recordKey(record.operatorId, record.name), record);
    if (record.id >= this.nextId) this.nextId = record.id + 1;
  }
}

function recordKey(operatorId: string, name: string): string {
  return operatorId + '\u0000' + name;
}

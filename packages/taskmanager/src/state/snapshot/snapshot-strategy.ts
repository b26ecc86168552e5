/**
 * How a TableKeyedStateBackend snapshots and restores its table: one strategy per table kind (heap,
 * LevelDB), created with the backend. The backend forwards snapshot(), restore() and
 * notifyCheckpointComplete() unchanged and tells the strategy about every state it registers (the
 * heap strategy decodes restored entries then, when it learns the state's codec).
 */
import type { StateCodec } from '@eddy/common';
import type { KeyedStateHandle, KeyedStateSnapshot, SnapshotOptions } from './keyed-state-handle.js';
import type { StateKind } from './keyed-snapshot-format.js';

export interface SnapshotStrategy {
  snapshot(checkpointId: number, targetDir: string, options: SnapshotOptions): Promise<KeyedStateSnapshot>;
  notifyCheckpointComplete(checkpointId: number): void;
  restore(handles: readonly KeyedStateHandle[]): Promise<void>;
  /** A state was created with this id, kind and value codec (before its first access). */
  stateRegistered(stateId: number, kind: StateKind, codec: StateCodec<unknown>): void;
}

/** Releases a captured view once, whichever of write() and discard() comes first. */
export class ReleaseOnce {
  private released = false;
  constructor(private readonly release: () => Promise<void> | void) {}

  async run(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.release();
  }

  get done(): boolean {
    return this.released;
  }
}

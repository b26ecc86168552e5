/**
 * SharedStateRegistry: reference counts of shared files (Flink's SharedStateRegistry), by checkpoint.
 * A checkpoint is held for one or more reasons:
 *
 * - `pending`: in progress; its acknowledged files must not vanish before it completes;
 * - `retained`: one of the last N completed checkpoints;
 * - `restore`: the job was last restored from it, and may be again;
 * - `transaction`: its sinks' committables are not yet confirmed committed.
 *
 * A shared file's count is the number of held checkpoints that name it; `release` reports the files
 * whose count fell to zero (safe to delete) and whether the checkpoint is no longer held at all (its
 * private directory may go). Pure bookkeeping: deleting is the caller's work.
 */
export type HoldReason = 'pending' | 'retained' | 'restore' | 'transaction';

export interface Release {
  /** No reason holds the checkpoint any more: its private files may be deleted. */
  readonly checkpointReleased: boolean;
  /** Shared files no held checkpoint names any more. */
  readonly unreferencedFiles: readonly string[];
}

interface Entry {
  readonly reasons: Set<HoldReason>;
  readonly files: Set<string>;
}

export class SharedStateRegistry {
  private readonly checkpoints = new Map<number, Entry>();
  private readonly counts = new Map<string, number>();

  /** Holds checkpoint `id` for `reason`, and makes it name `sharedFiles` (in addition to those it names). */
  hold(id: number, reason: HoldReason, sharedFiles: Iterable<string> = []): void {
    let entry = this.checkpoints.get(id);
    if (!entry) this.checkpoints.set(id, (entry = { reasons: new Set(), files: new Set() }));
    entry.reasons.add(reason);
    for (const name of sharedFiles) {
      if (entry.files.has(name)) continue;
      entry.files.add(name);
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
  }

  /** Drops `reason` for checkpoint `id`; releasing a reason that does not hold it changes nothing. */
  release(id: number, reason: HoldReason): Release {
    const entry = this.checkpoints.get(id);
    if (!entry || !entry.reasons.delete(reason) || entry.reasons.size > 0) return { checkpointReleased: false, unreferencedFiles: [] };
    this.checkpoints.delete(id);
    const unreferencedFiles: string[] = [];
    for (const name of entry.files) {
      const n = (this.counts.get(name) ?? 1) - 1;
      if (n > 0) this.counts.set(name, n);
      else {
        this.counts.delete(name);
        unreferencedFiles.push(name);
      }
    }
    return { checkpointReleased: true, unreferencedFiles: unreferencedFiles.sort() };
  }

  /** Drops every reason the checkpoint is held for. */
  releaseAll(id: number): Release {
    const reasons = [...(this.checkpoints.get(id)?.reasons ?? [])];
    let last: Release = { checkpointReleased: false, unreferencedFiles: [] };
    for (const r of reasons) last = this.release(id, r);
    return last;
  }

  isHeld(id: number, reason?: HoldReason): boolean {
    const entry = this.checkpoints.get(id);
    return entry !== undefined && (reason === undefined || entry.reasons.has(reason));
  }

  reasons(id: number): HoldReason[] {
    return [...(this.checkpoints.get(id)?.reasons ?? [])].sort();
  }

  /** How many held checkpoints name shared file `name`. */
  refCount(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** True when checkpoint `id` is the only held checkpoint that names `name`. */
  onlyHolder(name: string, id: number): boolean {
    return this.refCount(name) === 1 && this.checkpoints.get(id)?.files.has(name) === true;
  }

  heldCheckpoints(): number[] {
    return [...this.checkpoints.keys()].sort((a, b) => a - b);
  }
}

/**
 * Barrier handling of a task with input channels (Flink's barrier alignment).
 *
 * Exactly-once: the first barrier of checkpoint n starts the alignment; every channel that delivered
 * barrier n is blocked (what it sends next belongs after the checkpoint) until every channel has
 * delivered it or ended; then the task snapshots, forwards the barrier and every channel is released.
 * At-least-once: nothing is blocked; the checkpoint is taken when the last barrier arrives, so records
 * after a barrier on a fast channel may be in the snapshot and replayed after a restore.
 *
 * A barrier of a newer checkpoint while one is in progress aborts the older one (some task upstream
 * declined it); barriers of checkpoints older than the last one handled are ignored. Channels are
 * numbered over all of the task's gates. Single-threaded: the task thread only; no await.
 */
export type CheckpointingMode = 'exactly-once' | 'at-least-once';

export interface Barrier {
  readonly checkpointId: number;
  readonly timestamp: number;
}

export interface BarrierHandlerTarget {
  blockChannel(channel: number): void;
  unblockAllChannels(): void;
  /** Every input delivered the barrier: take the snapshot and forward the barrier downstream. */
  checkpointAligned(barrier: Barrier, alignmentMs: number): void;
  /** Checkpoint `checkpointId` cannot complete at this task. */
  checkpointAborted(checkpointId: number, reason: string): void;
}

interface Alignment {
  readonly barrier: Barrier;
  readonly startedAt: number;
  readonly seen: Uint8Array;
  seenCount: number;
}

export class BarrierHandler {
  private current: Alignment | undefined;
  private lastHandled = -1;

  constructor(
    private readonly numChannels: number,
    private readonly mode: CheckpointingMode,
    private readonly target: BarrierHandlerTarget,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The checkpoint being aligned, if any. */
  get pendingCheckpoint(): number | undefined {
    return this.current?.barrier.checkpointId;
  }

  onBarrier(channel: number, barrier: Barrier, isEnded: (channel: number) => boolean): void {
    const id = barrier.checkpointId;
    if (id <= this.lastHandled) return;
    let a = this.current;
    if (a !== undefined && id > a.barrier.checkpointId) {
      this.abort(`barrier of checkpoint ${id} arrived before checkpoint ${a.barrier.checkpointId} was aligned`);
      a = undefined;
    }
    if (a === undefined) {
      a = { barrier, startedAt: this.now(), seen: new Uint8Array(this.numChannels), seenCount: 0 };
      this.current = a;
    }
    if (a.seen[channel] === 1) return;
    a.seen[channel] = 1;
    a.seenCount++;
    if (this.mode === 'exactly-once') this.target.blockChannel(channel);
    this.completeIfAligned(isEnded);
  }

  /**
   * Called when the task has polled everything its unblocked channels delivered: a channel that
   * ended without barrier n then counts as aligned (it will never send one).
   */
  onInputsDrained(isEnded: (channel: number) => boolean): void {
    this.completeIfAligned(isEnded);
  }

  /** The task stops (or restarts) the checkpoint from outside, e.g. on a decline notification. */
  abortPending(checkpointId: number, reason: string): void {
    if (this.current?.barrier.checkpointId === checkpointId) this.abort(reason);
  }

  private completeIfAligned(isEnded: (channel: number) => boolean): void {
    const a = this.current;
    if (a === undefined) return;
    if (a.seenCount < this.numChannels) {
      for (let c = 0; c < this.numChannels; c++) if (a.seen[c] === 0 && !isEnded(c)) return;
    }
    this.current = undefined;
    this.lastHandled = a.barrier.checkpointId;
    this.target.checkpointAligned(a.barrier, this.now() - a.startedAt);
    if (this.mode === 'exactly-once') this.target.unblockAllChannels();
  }

  private abort(reason: string): void {
    const a = this.current!;
    this.current = undefined;
    this.lastHandled = a.barrier.checkpointId;
    if (this.mode === 'exactly-once') this.target.unblockAllChannels();
    this.target.checkpointAborted(a.barrier.checkpointId, reason);
  }
}

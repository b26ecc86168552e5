/**
 * Barrier alignment over every channel of every input gate of a task: numbers the channels over the
 * gates (gate 0's first, then gate 1's, ...), blocks and releases them on their gates for the
 * BarrierHandler, and hands the task the barrier once it aligned.
 *
 * A channel counts as ended for alignment only once the task polled everything it delivered: a
 * gate reports END_OF_PARTITION as soon as it arrives, while the channel's last buffers may still be
 * queued — records that precede the barrier (that channel will never send one) and so belong in the
 * snapshot. The task calls onInputsDrained() when every gate returned nothing; the channels that had
 * ended by then are drained. Single-threaded: the task thread only.
 */
import type { InputGate } from '../network/index.js';
import { BarrierHandler, type Barrier, type BarrierHandlerTarget, type CheckpointingMode } from './barrier-handler.js';

export interface AlignedBarrier {
  readonly barrier: Barrier;
  readonly alignmentMs: number;
}

export class GateAlignment implements BarrierHandlerTarget {
  private readonly handler: BarrierHandler;
  /** Global channel number -> its gate and its index there. */
  private readonly gateOf: number[] = [];
  private readonly localOf: number[] = [];
  private readonly offsets: number[] = [];
  private readonly drainedEnded: Uint8Array;
  private readonly isEnded = (c: number): boolean => this.drainedEnded[c] === 1;
  private aligned: AlignedBarrier | undefined;
  /** Set while the coordinator's abort notice aborts an alignment: that one is not declined. */
  private abortingOnNotice = false;

  constructor(
    private readonly gates: readonly InputGate[],
    channelsPerGate: readonly number[],
    mode: CheckpointingMode,
    private readonly onDeclined: (checkpointId: number, reason: string) => void,
  ) {
    channelsPerGate.forEach((n, g) => {
      this.offsets.push(this.gateOf.length);
      for (let c = 0; c < n; c++) {
        this.gateOf.push(g);
        this.localOf.push(c);
      }
    });
    this.drainedEnded = new Uint8Array(this.gateOf.length);
    this.handler = new BarrierHandler(this.gateOf.length, mode, this);
  }

  /** Barrier `barrier` arrived on channel `channel` of gate `gate`. */
  onBarrier(gate: number, channel: number, barrier: Barrier): void {
    this.handler.onBarrier(this.offsets[gate]! + channel, barrier, this.isEnded);
  }

  /** Every gate returned nothing: the channels that ended are drained. */
  onInputsDrained(): void {
    for (let c = 0; c < this.drainedEnded.length; c++) {
      if (this.drainedEnded[c] === 0 && this.gates[this.gateOf[c]!]!.isChannelEnded(this.localOf[c]!)) this.drainedEnded[c] = 1;
    }
    this.handler.onInputsDrained(this.isEnded);
  }

  /** The barrier that aligned since the last call, if any: the task snapshots before polling again. */
  takeAligned(): AlignedBarrier | undefined {
    const a = this.aligned;
    this.aligned = undefined;
    return a;
  }

  /** The coordinator aborted `checkpointId`: stop aligning it and release the channels. */
  abortPending(checkpointId: number): void {
    this.abortingOnNotice = true;
    try {
      this.handler.abortPending(checkpointId, 'aborted by the checkpoint coordinator');
    } finally {
      this.abortingOnNotice = false;
    }
  }

  blockChannel(channel: number): void {
    this.gates[this.gateOf[channel]!]!.blockChannel(this.localOf[channel]!);
  }

  unblockAllChannels(): void {
    for (const g of this.gates) g.unblockAllChannels();
  }

  checkpointAligned(barrier: Barrier, alignmentMs: number): void {
    this.aligned = { barrier, alignmentMs };
  }

  checkpointAborted(checkpointId: number, reason: string): void {
    if (!this.abortingOnNotice) this.onDeclined(checkpointId, reason);
  }
}

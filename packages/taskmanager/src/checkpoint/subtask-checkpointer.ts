/**
 * The checkpoints of one subtask (Flink's SubtaskCheckpointCoordinator): takes the task's snapshot
 * at a barrier, writes it out while records flow, acknowledges or declines it, commits sinks when a
 * checkpoint completes, and carries the task through its final checkpoint at the end of input.
 *
 * A snapshot has a synchronous part, run at a batch boundary (the task polls nothing until it
 * returns): the barrier goes out on every partition first, then sinks flush and prepare their
 * commit, then the keyed backend captures a consistent view. The asynchronous part writes that view
 * while the task goes on, and ends in acknowledgeCheckpoint() with the handles. Nothing here runs per
 * record.
 *
 * End of input (finishInput): sinks prepare the END_OF_INPUT transaction and the task acknowledges
 * its final snapshot as FINAL_CHECKPOINT. From then on every trigger is answered at once with the
 * final snapshot, and the first completed checkpoint that the task answered so (or a later one)
 * commits everything and lets the task end (finalCommitted). Phases below; the task thread only, in
 * the task's mails and at its barriers, which never overlap.
 */
import { checkTransition, END_OF_INPUT, errorMessage } from '@eddy/common';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { KeyedStateHandle, KeyedStateSnapshot } from '../state/snapshot/keyed-state-handle.js';
import type { TaskCheckpointing } from '../task/task-descriptor.js';
import type { TaskPorts } from '../task/task-ports.js';
import type { Barrier } from './barrier-handler.js';
import type { SinkTransactions } from './sink-transactions.js';
import { discardSnapshotFiles, handleBytes, subtaskCheckpointDir } from './snapshot-files.js';
import { FINAL_CHECKPOINT, TASK_SNAPSHOT_VERSION, type CheckpointMetrics, type OperatorSnapshot, type TaskCheckpointSnapshot } from './task-checkpoint-snapshot.js';

export type SubtaskCheckpointPhase = 'RUNNING' | 'FINISHING' | 'AWAITING_FINAL_COMMIT' | 'COMMITTED';
export const SUBTASK_CHECKPOINT_TRANSITIONS: Record<SubtaskCheckpointPhase, readonly SubtaskCheckpointPhase[]> = {
  RUNNING: ['FINISHING'],
  FINISHING: ['AWAITING_FINAL_COMMIT'],
  AWAITING_FINAL_COMMIT: ['COMMITTED'],
  COMMITTED: [],
};

/** The source side of a source task. */
export interface SourceSnapshotter {
  readonly operatorId: string;
  /** Why the reader cannot be checkpointed now, or undefined. */
  readonly snapshotGap: string | undefined;
  snapshotSplits(checkpointId: number): unknown[];
}

export interface CheckpointParticipants {
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly checkpointing: TaskCheckpointing;
  readonly ports: TaskPorts;
  readonly backend: KeyedStateBackend | undefined;
  readonly sinks: readonly SinkTransactions[];
  /** Present on source tasks (read when a trigger runs: the driver starts after the checkpointer). */
  source(): SourceSnapshotter | undefined;
  /** Sends `barrier` on every channel of every result partition, after every record before it. */
  emitBarrier(barrier: Barrier): void;
  /** Why the operators' timers keep the task from a consistent snapshot, or undefined. */
  timerGap(): string | undefined;
  now(): number;
}

interface InFlight {
  aborted: boolean;
}

const NO_METRICS: CheckpointMetrics = { alignmentMs: 0, syncMs: 0, asyncMs: 0, bytesFull: 0, bytesIncremental: 0 };

export class SubtaskCheckpointer {
  private phase: SubtaskCheckpointPhase = 'RUNNING';
  /**
   * The highest checkpoint this task took a regular snapshot of (at a trigger or a barrier). Later
   * triggers of it, or of an older one, are ignored: a repeated trigger, or one sent after the final
   * snapshot while the regular acknowledgement is still being written — answering it with the final
   * snapshot would pair this task's end state with the other tasks' state at that checkpoint.
   */
  private lastSnapshotted = -1;
  private readonly inFlight = new Map<number, InFlight>();
  private disposed = false;
  /** After the end of input: the sinks' writer state of the END_OF_INPUT transaction. */
  private finalWriterState = new Map<string, unknown[]>();
  /** Triggers that reached the task while it prepared its final snapshot: answered with it. */
  private readonly triggersWhileFinishing: number[] = [];
  /** Checkpoints answered with the final snapshot (not aborted since). */
  private readonly answeredFinal = new Set<number>();
  private resolveFinal!: () => void;
  /** Resolves when a checkpoint holding the final snapshot completed and the sinks committed. */
  readonly finalCommitted = new Promise<void>((r) => (this.resolveFinal = r));

  constructor(private readonly p: CheckpointParticipants) {}

  get currentPhase(): SubtaskCheckpointPhase {
    return this.phase;
  }

  /** A trigger from the coordinator, run as a mail: sources and tasks whose input ended get them. */
  async triggerCheckpoint(checkpointId: number, timestamp: number): Promise<void> {
    if (checkpointId <= this.lastSnapshotted) return;
    if (this.phase === 'FINISHING') {
      this.triggersWhileFinishing.push(checkpointId);
      return;
    }
    // Also once committed: the task is ending, and its state is still its final snapshot.
    if (this.phase === 'AWAITING_FINAL_COMMIT' || this.phase === 'COMMITTED') return this.answerWithFinal(checkpointId);
    const source = this.p.source();
    if (source === undefined) {
      return this.decline(checkpointId, 'a task with inputs takes checkpoints at their barriers, not on a trigger');
    }
    const gap = source.snapshotGap;
    if (gap !== undefined) return this.decline(checkpointId, gap);
    this.lastSnapshotted = checkpointId;
    // One synchronous step, so no record falls between the reader's positions and the barrier.
    const splits = source.snapshotSplits(checkpointId);
    const barrier = { checkpointId, timestamp };
    this.p.emitBarrier(barrier);
    await this.snapshot(barrier, 0, { [source.operatorId]: { sourceSplits: splits } });
  }

  /** Every input delivered barrier `barrier` (or ended): forward it and snapshot, before polling again. */
  async snapshotAtBarrier(barrier: Barrier, alignmentMs: number): Promise<void> {
    if (this.phase !== 'RUNNING') return;
    this.lastSnapshotted = Math.max(this.lastSnapshotted, barrier.checkpointId);
    this.p.emitBarrier(barrier);
    await this.snapshot(barrier, alignmentMs, {});
  }

  decline(checkpointId: number, reason: string): void {
    if (!this.disposed) this.p.ports.declineCheckpoint(checkpointId, reason);
  }

  /** Run as a mail: commit what checkpoints <= `checkpointId` prepared; end the task if it held the final snapshot. */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    for (const s of this.p.sinks) await s.commitUpTo(checkpointId);
    this.p.backend?.notifyCheckpointComplete(checkpointId);
    if (this.phase !== 'AWAITING_FINAL_COMMIT') return;
    let holdsFinal = false;
    for (const id of this.answeredFinal) if (id <= checkpointId) holdsFinal = true;
    if (!holdsFinal) return;
    for (const s of this.p.sinks) await s.commitAll();
    this.transition('COMMITTED');
    this.resolveFinal();
  }

  /**
   * Run as a mail: the snapshot being written for `checkpointId` is dropped, with its files, and not
   * acknowledged. Its sink committables stay pending: the next completed checkpoint commits them.
   */
  notifyCheckpointAborted(checkpointId: number): void {
    const f = this.inFlight.get(checkpointId);
    if (f !== undefined) f.aborted = true;
    this.answeredFinal.delete(checkpointId);
  }

  /**
   * End of input (the operators finished and flushed with endOfInput = true): prepare the sinks'
   * END_OF_INPUT transaction and acknowledge the final snapshot as FINAL_CHECKPOINT.
   */
  async finishInput(): Promise<void> {
    this.transition('FINISHING');
    const start = this.p.now();
    for (const s of this.p.sinks) this.finalWriterState.set(s.operatorId, (await s.prepare(END_OF_INPUT, false)).writerState);
    this.transition('AWAITING_FINAL_COMMIT');
    if (!this.disposed) this.p.ports.acknowledgeCheckpoint(FINAL_CHECKPOINT, this.finalSnapshot(), { ...NO_METRICS, syncMs: this.p.now() - start });
    for (const id of this.triggersWhileFinishing.splice(0)) this.answerWithFinal(id);
  }

  /** The task ends (finished, canceled or failed): snapshots still being written are dropped. */
  dispose(): void {
    this.disposed = true;
    for (const f of this.inFlight.values()) f.aborted = true;
  }

  private answerWithFinal(checkpointId: number): void {
    this.answeredFinal.add(checkpointId);
    if (!this.disposed) this.p.ports.acknowledgeCheckpoint(checkpointId, this.finalSnapshot(), NO_METRICS);
  }

  /** No keyed state: no record reaches a task whose input ended, so its state is never read again. */
  private finalSnapshot(): TaskCheckpointSnapshot {
    const operators: Record<string, OperatorSnapshot> = {};
    const source = this.p.source();
    if (source !== undefined) operators[source.operatorId] = { sourceSplits: [] };
    for (const s of this.p.sinks) operators[s.operatorId] = { sink: { committables: s.pendingCommittables(), writerState: this.finalWriterState.get(s.operatorId) ?? [] } };
    return { version: TASK_SNAPSHOT_VERSION, operators, finished: true };
  }

  /** The synchronous part, then the asynchronous part started (not awaited). */
  private async snapshot(barrier: Barrier, alignmentMs: number, operators: Record<string, OperatorSnapshot>): Promise<void> {
    const id = barrier.checkpointId;
    const timers = this.p.timerGap();
    if (timers !== undefined) return this.decline(id, timers);
    const start = this.p.now();
    for (const s of this.p.sinks) operators[s.operatorId] = { sink: await s.prepare(id, true) };
    const dir = subtaskCheckpointDir(this.p.checkpointing.checkpointDir, id, this.p.vertexId, this.p.subtaskIndex);
    let keyed: KeyedStateSnapshot | undefined;
    if (this.p.backend !== undefined) {
      const sharedDir = this.p.checkpointing.sharedDir;
      try {
        keyed = await this.p.backend.snapshot(id, dir, sharedDir === undefined ? {} : { sharedDir });
      } catch (e) {
        return this.decline(id, `the keyed state snapshot failed: ${errorMessage(e)}`);
      }
    }
    const syncMs = this.p.now() - start;
    const flight: InFlight = { aborted: false };
    this.inFlight.set(id, flight);
    void this.writeAndAcknowledge(id, keyed, dir, flight, operators, { ...NO_METRICS, alignmentMs, syncMs });
  }

  private async writeAndAcknowledge(id: number, keyed: KeyedStateSnapshot | undefined, dir: string, flight: InFlight, operators: Record<string, OperatorSnapshot>, metrics: CheckpointMetrics): Promise<void> {
    const start = this.p.now();
    let handle: KeyedStateHandle | undefined;
    try {
      handle = await keyed?.write();
    } catch (e) {
      this.inFlight.delete(id);
      if (!flight.aborted) this.decline(id, `writing the keyed state snapshot failed: ${errorMessage(e)}`);
      await discardSnapshotFiles(dir, undefined).catch(() => {});
      return;
    }
    this.inFlight.delete(id);
    if (flight.aborted) {
      // Never acknowledged, so the files are still ours to remove; a failed removal leaves files the
      // checkpoint storage removes with the aborted checkpoint's directory.
      await discardSnapshotFiles(dir, handle).catch(() => {});
      return;
    }
    const snapshot: TaskCheckpointSnapshot = { version: TASK_SNAPSHOT_VERSION, operators };
    if (handle !== undefined) {
      snapshot.keyed = [handle];
      const bytes = handleBytes(handle);
      metrics.bytesFull = bytes.full;
      metrics.bytesIncremental = bytes.incremental;
    }
    metrics.asyncMs = this.p.now() - start;
    this.p.ports.acknowledgeCheckpoint(id, snapshot, metrics);
  }

  private transition(to: SubtaskCheckpointPhase): void {
    checkTransition(SUBTASK_CHECKPOINT_TRANSITIONS, 'subtask checkpoint', this.phase, to);
    this.phase = to;
  }
}

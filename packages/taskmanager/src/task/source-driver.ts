/**
 * Runs a source reader inside a task: polls it in batches, asks the split enumerator for splits,
 * stamps records with event time and generates watermarks per split when the source has a watermark
 * strategy. At the end of a bounded input it emits the final watermark (every event-time timer fires).
 *
 * Checkpoints: a restored reader gets its splits back before its first poll, and asks for more only
 * when it finished them. The task takes a checkpoint between two polls (snapshotSplits), never while
 * a split request is in flight: a split the enumerator handed out before the checkpoint's trigger
 * may still be on its way, and must be in the reader's snapshot since it is not in the enumerator's.
 */
import type { PlanNode, SourceReader } from '@eddy/common';
import { WatermarkTracker } from '../time/watermark-tracker.js';
import type { Input } from '../operators/stream-operator.js';

export interface SourceDriverHost {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  now(): number;
  /** Resolves when output has room; false when the task stops. */
  outputReady(): Promise<boolean>;
  requestSplit(operatorId: string): Promise<{ kind: 'split'; split: unknown } | { kind: 'none-yet' } | { kind: 'no-more' } | undefined>;
  /** Awaits a promise unless the task stops first (then undefined); the task's mails run meanwhile. */
  until<T>(p: Promise<T>): Promise<T | undefined>;
  /** As until(), but the task's mails wait: for the answer to a split request. */
  untilWithoutMail<T>(p: Promise<T>): Promise<T | undefined>;
  /** Between batches: flush idle outputs, fire processing-time timers, write out state. */
  betweenBatches(idle: boolean): Promise<void>;
  markIdle(idle: boolean): void;
  /** Present when the source routes undecodable input to dead letters. */
  deadLetter?(raw: unknown, error: Error): void;
  stopped(): boolean;
}

const BATCH = 1024;
const SPLIT_RETRY_MS = 200;

export class SourceDriver {
  recordsIn = 0;
  /** Epoch ms just before the poll that emitted the first record; 0 = none yet. */
  firstRecordTime = 0;
  private reader: SourceReader<unknown, unknown> | undefined;

  /** `restoredSplits`: the reader's splits in the checkpoint the task was restored from. */
  constructor(
    private readonly node: PlanNode,
    private readonly entry: Input,
    private readonly host: SourceDriverHost,
    private readonly restoredSplits: readonly unknown[] = [],
  ) {}

  /** Why the reader cannot be checkpointed now, or undefined when it can. */
  get snapshotGap(): string | undefined {
    if (this.reader === undefined) return 'the source reader is not running';
    if (typeof this.reader.snapshotState !== 'function') return `the reader of source '${this.node.name}' (${this.node.id}) does not implement snapshotState()`;
    return undefined;
  }

  /** The reader's unfinished splits with their positions; call between polls, when snapshotGap is undefined. */
  snapshotSplits(checkpointId: number): unknown[] {
    return [...this.reader!.snapshotState!(checkpointId)];
  }

  async run(): Promise<void> {
    const spec = this.node.spec;
    if (spec.kind !== 'source') return;
    const host = this.host;
    const entry = this.entry;
    const reader = spec.source.createReader({ subtaskIndex: host.subtaskIndex, parallelism: host.parallelism }) as SourceReader<unknown, unknown>;
    this.reader = reader;
    let now = host.now();
    const tracker = spec.watermarks
      ? new WatermarkTracker(spec.watermarks, { emitWatermark: (w) => entry.processWatermark(w), markIdle: (i) => host.markIdle(i) }, () => now)
      : undefined;
    const periodic = tracker ? setInterval(() => tracker.onPeriodicEmit(host.now()), tracker.periodMs) : undefined;
    let splitId = '';
    if (this.restoredSplits.length > 0) {
      // The restored splits are read together, as one split is: their watermarks are combined.
      splitId = JSON.stringify(this.restoredSplits);
      tracker?.startSplit(splitId);
      for (const split of this.restoredSplits) reader.addSplit(split);
    }
    const deadLetter = host.deadLetter ? { deadLetter: host.deadLetter } : {};
    const output = tracker
      ? {
          collect: (r: unknown, ts = NaN): void => {
            this.recordsIn++;
            entry.processElement(r, tracker.onRecord(r, ts, now));
          },
          ...deadLetter,
        }
      : {
          collect: (r: unknown, ts = NaN): void => {
            this.recordsIn++;
            entry.processElement(r, ts);
          },
          ...deadLetter,
        };
    try {
      while (!host.stopped()) {
        if (!(await host.outputReady())) break;
        now = host.now();
        const pollStart = this.recordsIn === 0 ? Date.now() : 0;
        const status = reader.pollNext(output, BATCH);
        if (pollStart !== 0 && this.recordsIn > 0) this.firstRecordTime = pollStart;
        if (status === 'needs-split') {
          if (splitId !== '') tracker?.finishSplit(splitId);
          await host.betweenBatches(true);
          const a = await host.untilWithoutMail(host.requestSplit(this.node.id));
          if (a === undefined) continue;
          if (a.kind === 'split') {
            splitId = JSON.stringify(a.split);
            tracker?.startSplit(splitId);
            reader.addSplit(a.split);
          } else if (a.kind === 'no-more') {
            if (tracker) tracker.finishAll();
            else entry.processWatermark(Infinity);
            return;
          } else await host.until(sleep(SPLIT_RETRY_MS));
        } else if (status === 'nothing-available') {
          await host.betweenBatches(true);
          await host.until(reader.available ? reader.available() : sleep(10));
        } else {
          await host.betweenBatches(false);
        }
      }
    } finally {
      if (periodic) clearInterval(periodic);
      this.reader = undefined;
      reader.close?.();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

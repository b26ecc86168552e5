/**
 * The TaskManager's slots: one worker thread each, so a TaskManager uses as many cores as it has slots.
 * A worker that dies fails the tasks it ran and is restarted on the same data port.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '@eddy/common';
import { slotDataDir } from './data-dir/data-dir-layout.js';
import type { FromWorker, SlotWorkerData, ToWorker } from './worker/worker-protocol.js';

export interface SlotEvents {
  onMessage(slot: number, m: FromWorker): void;
  /** The worker died; the attempts it ran are lost. */
  onWorkerLost(slot: number, attempts: string[], reason: string): void;
}

interface Slot {
  worker: Worker;
  dataPort: number;
  attempts: Set<string>;
}

/**
 * V8 limits for a slot whose whole heap may use `mb` MiB. V8 adds a young generation (48 MiB by
 * default) on top of the old-generation limit, so the young generation takes a quarter of a small
 * budget (at most its default) and the old generation the rest: the limit V8 reports is then `mb`.
 */
export function slotHeapLimits(mb: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  const young = Math.min(48, Math.max(3, Math.floor(mb / 4)));
  return { maxOldGenerationSizeMb: Math.max(mb - young, 8), maxYoungGenerationSizeMb: young };
}

export class SlotPool {
  private readonly slots: Slot[] = [];
  private closing = false;

  private constructor(
    private readonly host: string,
    private readonly taskManagerId: string,
    private readonly dataDir: string,
    private readonly slotHeapMb: number | undefined,
    private readonly events: SlotEvents,
    private readonly logger: Logger,
  ) {}

  static async start(count: number, host: string, taskManagerId: string, dataDir: string, slotHeapMb: number | undefined, events: SlotEvents, logger: Logger): Promise<SlotPool> {
    const pool = new SlotPool(host, taskManagerId, dataDir, slotHeapMb, events, logger);
    const ready = [];
    for (let i = 0; i < count; i++) ready.push(pool.spawn(i, 0));
    await Promise.all(ready);
    return pool;
  }

  get dataPorts(): number[] {
    return this.slots.map((s) => s.dataPort);
  }

  get size(): number {
    return this.slots.length;
  }

  send(slot: number, m: ToWorker): void {
    const s = this.slots[slot];
    if (!s) throw new Error(`no slot ${slot}`);
    if (m.type === 'deploy') s.attempts.add(m.descriptor.attemptId);
    s.worker.postMessage(m);
  }

  /** Forget an attempt that reached a terminal state. */
  release(slot: number, attemptId: string): void {
    this.slots[slot]?.attempts.delete(attemptId);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(index: number, dataPort: number): Promise<void> {
    const data: SlotWorkerData = { host: this.host, slotIndex: index, taskManagerId: this.taskManagerId, dataPort, dataDir: slotDataDir(this.dataDir, index) };
    const worker = new Worker(new URL('./worker/slot-worker.js', import.meta.url), {
      workerData: data,
      ...(this.slotHeapMb !== undefined ? { resourceLimits: slotHeapLimits(this.slotHeapMb) } : {}),
    });
    const slot: Slot = { worker, dataPort, attempts: this.slots[index]?.attempts ?? new Set() };
    this.slots[index] = slot;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          slot.dataPort = m.dataPort;
          started = true;
          resolve();
          return;
        }
        this.events.onMessage(index, m);
      });
      let lastError = '';
      worker.on('error', (e) => {
        lastError = e.message;
        this.logger.error('slot worker error', { slot: index, error: e.message, stack: e.stack });
      });
      worker.on('exit', (code) => {
        if (!started) {
          reject(new Error(`slot ${index} worker exited during start (code ${code})`));
          return;
        }
        if (this.closing) return;
        const lost = [...slot.attempts];
        slot.attempts.clear();
        this.logger.error('slot worker exited', { slot: index, code });
        this.events.onWorkerLost(index, lost, `slot ${index} worker thread exited with code ${code}${lastError ? `: ${lastError}` : ''}`);
        this.spawn(index, slot.dataPort).catch((e: Error) => this.logger.error('slot restart failed', { slot: index, error: e.message }));
      });
    });
  }
}

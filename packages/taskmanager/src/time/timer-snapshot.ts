/**
 * Timer snapshots: the timers of a task's timer services (one per operator) in a key-group file
 * (state/snapshot/key-group-file.ts) with magic ETMR, version 1:
 *
 *   header body  service count u16, then per service: operator id (u16 length + UTF-8)
 *   entry        service index u16, domain u8 (event 0, processing 1), timestamp f64,
 *                key length u32, serialized key (serializeKey of @eddy/common), namespace length u32,
 *                namespace UTF-8
 *
 * The synchronous part collects the timers by key group (references: Timer objects never change);
 * write() encodes and writes them. Restores read the key groups of a range (timer-restore.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serializeKey, type KeyGroupRange } from '@eddy/common';
import { ByteBuilder } from '../state/snapshot/byte-builder.js';
import { TIMERS_MAGIC, rangeSize } from '../state/snapshot/key-group-file.js';
import { KeyGroupFileWriter } from '../state/snapshot/key-group-file-writer.js';
import type { HeapTimerService } from './heap-timer-service.js';
import type { Timer } from './timer-queue.js';

export interface TimersStateHandle {
  readonly kind: 'timers';
  readonly checkpointId: number;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly file: string;
  readonly bytes: number;
}

export interface TimersSnapshot {
  readonly checkpointId: number;
  /** Writes the timers captured by snapshotTimers(); the task goes on meanwhile. */
  write(): Promise<TimersStateHandle>;
}

export const EVENT_TIME = 0;
export const PROCESSING_TIME = 1;

export function timersFileName(range: KeyGroupRange): string {
  return `timers-${range.start}-${range.end}.v1`;
}

/** A captured timer: its service, domain and the (immutable) timer. */
type Captured = [service: number, domain: number, timer: Timer];

/**
 * The synchronous part: captures every timer of `services` (operator id -> service) whose key group
 * is in `keyGroupRange` (all of them, on a task of that range).
 */
export function snapshotTimers(
  checkpointId: number,
  targetDir: string,
  services: ReadonlyMap<string, HeapTimerService>,
  maxParallelism: number,
  keyGroupRange: KeyGroupRange,
): TimersSnapshot {
  const groups = new Array<Captured[] | undefined>(rangeSize(keyGroupRange));
  const operatorIds = [...services.keys()];
  operatorIds.forEach((operatorId, index) => {
    const { event, processing } = services.get(operatorId)!.snapshotTimers();
    for (const [domain, timers] of [[EVENT_TIME, event], [PROCESSING_TIME, processing]] as const) {
      for (const t of timers) (groups[t.keyGroup - keyGroupRange.start] ??= []).push([index, domain, t]);
    }
  });
  const header = new ByteBuilder(256);
  header.u16(operatorIds.length);
  for (const id of operatorIds) header.shortString(id);
  const body = Buffer.from(header.view());
  return {
    checkpointId,
    write: async () => {
      await mkdir(targetDir, { recursive: true });
      const file = join(targetDir, timersFileName(keyGroupRange));
      const w = await KeyGroupFileWriter.create(file, TIMERS_MAGIC, { maxParallelism, keyGroupRange, checkpointId }, body);
      try {
        for (let i = 0; i < groups.length; i++) {
          const timers = groups[i];
          if (timers === undefined) continue;
          w.beginGroup(keyGroupRange.start + i);
          for (const [service, domain, t] of timers) {
            encodeTimer(w.out, service, domain, t);
            w.entryAdded();
            if (w.full) await w.drain();
          }
          await w.endGroup();
        }
        const bytes = await w.finish();
        return { kind: 'timers', checkpointId, maxParallelism, keyGroupRange, file, bytes };
      } catch (err) {
        await w.abort();
        throw err;
      }
    },
  };
}

function encodeTimer(out: ByteBuilder, service: number, domain: number, t: Timer): void {
  out.u16(service);
  out.u8(domain);
  out.f64(t.timestamp);
  const key = serializeKey(t.key);
  out.u32(key.length);
  out.bytes(key);
  const ns = Buffer.from(t.namespace, 'utf8');
  out.u32(ns.length);
  out.bytes(ns);
}

/**
 * Reads timer snapshots (format in timer-snapshot.ts) for a key-group range: only the blocks of the
 * range's key groups, from any number of handles (a rescaled job). Each timer's key is checked
 * against its key group, so a damaged key or a file of another max parallelism cannot put a timer on
 * the wrong subtask.
 */
import { murmur3, type KeyGroupRange } from '@eddy/common';
import { ByteReader } from '../state/snapshot/byte-builder.js';
import { KeyGroupFileReader } from '../state/snapshot/key-group-file-reader.js';
import { TIMERS_MAGIC, intersectRanges, rangeSize } from '../state/snapshot/key-group-file.js';
import { IncompatibleSnapshotError } from '../state/snapshot/snapshot-errors.js';
import { deserializeKey } from '../state/state-key-codec.js';
import type { HeapTimerService, RestoredTimer } from './heap-timer-service.js';
import { EVENT_TIME, PROCESSING_TIME, type TimersStateHandle } from './timer-snapshot.js';

/** The timers of `keyGroupRange` in `handles`, by operator id. */
export async function readTimers(
  handles: readonly TimersStateHandle[],
  maxParallelism: number,
  keyGroupRange: KeyGroupRange,
): Promise<Map<string, RestoredTimer[]>> {
  const out = new Map<string, RestoredTimer[]>();
  for (const h of handles) {
    if (h.maxParallelism !== maxParallelism) {
      throw new IncompatibleSnapshotError(`timers of max parallelism ${h.maxParallelism} cannot be restored with max parallelism ${maxParallelism}`);
    }
    const range = intersectRanges(h.keyGroupRange, keyGroupRange);
    if (rangeSize(range) === 0) continue;
    const reader = await KeyGroupFileReader.open(h.file, TIMERS_MAGIC);
    try {
      if (reader.maxParallelism !== maxParallelism) reader.corrupt(`its max parallelism ${reader.maxParallelism} is not the handle's ${maxParallelism}`);
      const hr = new ByteReader(reader.body, (reason) => reader.corrupt(`the service table is malformed: ${reason}`));
      const operatorIds: string[] = [];
      for (let n = hr.u16('the service count'), i = 0; i < n; i++) operatorIds.push(hr.shortString('an operator id'));
      const lists = operatorIds.map((id) => {
        let list = out.get(id);
        if (list === undefined) out.set(id, (list = []));
        return list;
      });
      const from = intersectRanges(reader.keyGroupRange, range);
      for (let g = from.start; g <= from.end; g++) {
        const block = await reader.readGroup(g);
        if (block === undefined) continue;
        const r = new ByteReader(block.entries, (reason) => reader.corrupt(`key group ${g} is malformed: ${reason}`));
        let n = 0;
        while (r.remaining > 0) {
          const service = r.u16('a service index');
          const domain = r.u8('a domain');
          const timestamp = r.f64('a timestamp');
          const keyBytes = r.bytes(r.u32('a key length'), 'a key');
          const namespace = r.bytes(r.u32('a namespace length'), 'a namespace').toString('utf8');
          const list = lists[service];
          if (list === undefined) reader.corrupt(`a timer of key group ${g} names service ${service} of ${lists.length}`);
          if (domain !== EVENT_TIME && domain !== PROCESSING_TIME) reader.corrupt(`a timer of key group ${g} has domain ${domain}`);
          if (murmur3(keyBytes) % maxParallelism !== g) reader.corrupt(`a timer's key in key group ${g} belongs to key group ${murmur3(keyBytes) % maxParallelism}`);
          const key = deserializeKey(keyBytes.toString('latin1'));
          list!.push({ domain: domain === EVENT_TIME ? 'event' : 'processing', key, keyGroup: g, namespace, timestamp });
          n++;
        }
        if (n !== block.count) reader.corrupt(`key group ${g} holds ${n} timers, its block says ${block.count}`);
      }
    } finally {
      await reader.close();
    }
  }
  return out;
}

/**
 * Reads the timers of `keyGroupRange` and queues each operator's in its service. Timers of an operator
 * that has no service here fail the restore (its timers would be lost silently).
 */
export async function restoreTimers(
  handles: readonly TimersStateHandle[],
  services: ReadonlyMap<string, HeapTimerService>,
  maxParallelism: number,
  keyGroupRange: KeyGroupRange,
): Promise<void> {
  const timers = await readTimers(handles, maxParallelism, keyGroupRange);
  const orphans = [...timers].filter(([id, list]) => list.length > 0 && !services.has(id)).map(([id]) => id);
  if (orphans.length > 0) {
    throw new IncompatibleSnapshotError(`the snapshot holds timers of operators ${orphans.join(', ')}, which have no timer service in this task`);
  }
  for (const [id, list] of timers) if (list.length > 0) services.get(id)!.restoreTimers(list);
}

import test from 'ava';
import { silentLogger } from '@eddy/common';
import type { AllocatedSlot } from '../../resourcemanager/resource-manager.js';
import type { Timers } from '../../timers.js';
import { SlotWaitQueue, type SlotWaiter } from '../slot-wait-queue.js';

/** Timers that fire only when the test advances the manual clock. */
function manualTime() {
  let now = 1_000;
  const pending: { at: number; fn: () => void; canceled: boolean }[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      const entry = { at: now + ms, fn, canceled: false };
      pending.push(entry);
      return { cancel: () => void (entry.canceled = true) };
    },
    setInterval: () => ({ cancel() {} }),
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const p of pending.filter((x) => !x.canceled && x.at <= now)) {
      p.canceled = true;
      p.fn();
    }
  };
  return { timers, clock: () => now, advance };
}

/** A cluster of `free` interchangeable slots. */
function cluster(free: number) {
  const pool = { free };
  const allocate = (_jobId: string, count: number): AllocatedSlot[] | undefined => {
    if (count > pool.free) return undefined;
    pool.free -= count;
    return Array.from({ length: count }, (_, index) => ({ taskManagerId: 'tm', registration: 1, host: 'h', index, dataPort: 1, gateway: undefined as never }));
  };
  return { pool, allocate, freeSlots: () => pool.free };
}

function job(jobId: string, log: string[]): SlotWaiter & { state: string } {
  const j = {
    jobId,
    state: 'CREATED',
    start(slots: readonly AllocatedSlot[]) {
      j.state = 'RUNNING';
      log.push(`${jobId} started on ${slots.length}`);
    },
    slotWaitTimedOut(message: string) {
      j.state = 'FAILED';
      log.push(`${jobId} failed: ${message}`);
    },
  };
  return j;
}

test('slot-wait-queue: starts a job at once when it fits, else when slots are offered, in submission order as far as they fit', (t) => {
  const time = manualTime();
  const c = cluster(2);
  const q = new SlotWaitQueue({ ...c, ...time, logger: silentLogger });
  const log: string[] = [];
  q.add(job('a', log), 2, 10_000);
  q.add(job('b', log), 3, 10_000);
  q.add(job('c', log), 1, 10_000);
  t.deepEqual(log, ['a started on 2']);
  t.deepEqual(q.waitOf('b'), { slotsNeeded: 3, deadline: 11_000 });
  c.pool.free = 1;
  q.offerSoon();
  q.offerSoon(); // coalesced into one pass
  t.deepEqual(log, ['a started on 2']);
  time.advance(0);
  t.deepEqual(log, ['a started on 2', 'c started on 1']);
  c.pool.free = 3;
  q.offer();
  t.deepEqual(log, ['a started on 2', 'c started on 1', 'b started on 3']);
  t.is(q.waitOf('b'), undefined);
});

test('slot-wait-queue: a job still waiting at its timeout fails with what it needs and what was free; a removed one does not', (t) => {
  const time = manualTime();
  const c = cluster(1);
  const q = new SlotWaitQueue({ ...c, ...time, logger: silentLogger });
  const log: string[] = [];
  q.add(job('slow', log), 4, 5_000);
  q.add(job('canceled', log), 4, 1_000);
  q.remove('canceled');
  time.advance(4_999);
  t.deepEqual(log, []);
  time.advance(1);
  t.deepEqual(log, [
    'slow failed: the job needs 4 slots (its highest operator parallelism) but the cluster had 1 free when the slot wait timeout of 5000 ms expired; lower -p or start more TaskManagers',
  ]);
  t.is(q.waitOf('slow'), undefined);
});

test('slot-wait-queue: a job that left CREATED while waiting (canceled) is dropped, not started', (t) => {
  const time = manualTime();
  const c = cluster(0);
  const q = new SlotWaitQueue({ ...c, ...time, logger: silentLogger });
  const log: string[] = [];
  const j = job('j', log);
  q.add(j, 1, 5_000);
  j.state = 'CANCELED';
  c.pool.free = 1;
  q.offer();
  time.advance(10_000);
  t.deepEqual(log, []);
  t.is(c.pool.free, 1);
});

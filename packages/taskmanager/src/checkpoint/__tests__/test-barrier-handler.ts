import test from 'ava';
import { BarrierHandler, type Barrier, type CheckpointingMode } from '../barrier-handler.js';

function harness(channels: number, mode: CheckpointingMode) {
  const log: string[] = [];
  const blocked = new Set<number>();
  const ended = new Set<number>();
  let clock = 0;
  const h = new BarrierHandler(channels, mode, {
    blockChannel: (c) => {
      blocked.add(c);
      log.push(`block ${c}`);
    },
    unblockAllChannels: () => {
      blocked.clear();
      log.push('unblock');
    },
    checkpointAligned: (b, ms) => log.push(`aligned ${b.checkpointId} after ${ms}`),
    checkpointAborted: (id, reason) => log.push(`aborted ${id}: ${reason}`),
  }, () => clock);
  const isEnded = (c: number) => ended.has(c);
  const barrier = (id: number): Barrier => ({ checkpointId: id, timestamp: 1000 + id });
  return {
    log,
    blocked,
    on: (c: number, id: number) => h.onBarrier(c, barrier(id), isEnded),
    end: (c: number) => ended.add(c),
    drained: () => h.onInputsDrained(isEnded),
    tick: (ms: number) => (clock += ms),
    h,
  };
}

test('barrier-handler: exactly-once blocks each channel that delivered the barrier until all did, then snapshots and releases', (t) => {
  const x = harness(3, 'exactly-once');
  x.on(1, 5);
  t.deepEqual([...x.blocked], [1]);
  x.tick(7);
  x.on(0, 5);
  t.deepEqual(x.log, ['block 1', 'block 0']);
  x.on(2, 5);
  t.deepEqual(x.log, ['block 1', 'block 0', 'block 2', 'aligned 5 after 7', 'unblock']);
  t.is(x.blocked.size, 0);
  t.is(x.h.pendingCheckpoint, undefined);
});

test('barrier-handler: at-least-once blocks nothing and snapshots at the last barrier', (t) => {
  const x = harness(2, 'at-least-once');
  x.on(0, 1);
  x.on(1, 1);
  t.deepEqual(x.log, ['aligned 1 after 0']);
});

test('barrier-handler: a channel that ended counts as aligned once the task drained its inputs', (t) => {
  const x = harness(2, 'exactly-once');
  x.on(0, 3);
  x.end(1);
  t.deepEqual(x.log, ['block 0'], 'not before the ended channel was drained');
  x.drained();
  t.deepEqual(x.log, ['block 0', 'aligned 3 after 0', 'unblock']);
  // with channel 1 ended, the next barrier on channel 0 alone completes the checkpoint
  x.on(0, 4);
  t.deepEqual(x.log.slice(3), ['block 0', 'aligned 4 after 0', 'unblock']);
});

test('barrier-handler: a newer barrier aborts the checkpoint being aligned, and older or repeated barriers are ignored', (t) => {
  const x = harness(2, 'exactly-once');
  x.on(0, 2);
  x.on(0, 2);
  x.on(1, 3);
  t.deepEqual(x.log, ['block 0', 'unblock', 'aborted 2: barrier of checkpoint 3 arrived before checkpoint 2 was aligned', 'block 1']);
  x.on(0, 2);
  t.is(x.log.length, 4, 'a late barrier of the aborted checkpoint is ignored');
  x.on(0, 3);
  t.deepEqual(x.log.slice(4), ['block 0', 'aligned 3 after 0', 'unblock']);
  x.on(1, 3);
  t.is(x.log.length, 7);
});

test('barrier-handler: a task with one input channel snapshots at once', (t) => {
  const x = harness(1, 'exactly-once');
  x.on(0, 9);
  t.deepEqual(x.log, ['block 0', 'aligned 9 after 0', 'unblock']);
});

import test from 'ava';
import { requiredSlots, spreadSlots } from '../slot-allocation.js';

const slots = (tm: string, ...indexes: number[]) => indexes.map((index) => ({ taskManagerId: tm, index }));
const names = (picked: { taskManagerId: string; index: number }[] | undefined) => picked?.map((s) => `${s.taskManagerId}.${s.index}`);

test('slot-allocation: spreads slots round-robin over TaskManagers in index order', (t) => {
  t.deepEqual(names(spreadSlots([slots('tm1', 1, 0), slots('tm2', 0, 1)], 3)), ['tm1.0', 'tm2.0', 'tm1.1']);
  t.deepEqual(names(spreadSlots([slots('tm1', 0), slots('tm2', 3, 5, 7)], 4)), ['tm1.0', 'tm2.3', 'tm2.5', 'tm2.7']);
});

test('slot-allocation: returns undefined when there are not enough free slots', (t) => {
  t.is(spreadSlots([slots('tm1', 0), slots('tm2')], 2), undefined);
  t.deepEqual(spreadSlots([], 0), []);
});

test('slot-allocation: a job needs as many slots as its highest vertex parallelism', (t) => {
  t.is(requiredSlots([2, 3, 1]), 3);
});

import test from 'ava';
import { END_OF_INPUT, type Sink } from '@eddy/common';
import { SinkOperator } from '../../operators/sink-operator.js';
import { SinkTransactions } from '../sink-transactions.js';
import { checkTaskCheckpointSnapshot } from '../task-checkpoint-snapshot.js';
import { restoreTaskState } from '../task-state-restore.js';

/** A two-phase-commit sink whose writer prepares one committable per transaction with records. */
function recordingSink() {
  const log: string[] = [];
  let written = 0;
  const sink: Sink<unknown, string> = {
    createWriter: () => ({
      write: () => void written++,
      flush: (end) => void log.push(`flush ${end}`),
      prepareCommit: (n) => {
        const c = written > 0 ? [`tx-${n === END_OF_INPUT ? 'end' : n}`] : [];
        written = 0;
        return c;
      },
      snapshotState: (n) => [`state-${n === END_OF_INPUT ? 'end' : n}`],
    }),
    createCommitter: () => ({ commit: async (cs) => void log.push(`commit ${cs.join(',')}`) }),
    restoreWriter: (_ctx, r) => {
      log.push(`restore ${r.checkpointId} ${r.committables.join(',')} ${r.writerState.join(',')}`);
      return sink.createWriter(_ctx);
    },
  };
  const op = new SinkOperator('sink-1', 'Sink', sink as Sink<unknown>);
  return { log, op };
}

const CTX = { subtaskIndex: 0, parallelism: 1, jobId: 'j', checkpointing: true };

test('sink-transactions: a snapshot lists every committable not committed yet, and a completion commits those of its checkpoint and before, in order, once', async (t) => {
  const { log, op } = recordingSink();
  await op.initializeState(CTX, undefined);
  const tx = new SinkTransactions(op);
  op.processElement('a', NaN);
  t.deepEqual(await tx.prepare(1, true), { committables: ['tx-1'], writerState: ['state-1'] });
  op.processElement('b', NaN);
  // checkpoint 1 is aborted: its committable stays and goes into checkpoint 2
  t.deepEqual((await tx.prepare(2, true)).committables, ['tx-1', 'tx-2']);
  op.processElement('c', NaN);
  await tx.prepare(3, true);
  await tx.commitUpTo(2);
  await tx.commitUpTo(2);
  t.deepEqual(tx.pendingCommittables(), ['tx-3']);
  op.processElement('d', NaN);
  await tx.prepare(END_OF_INPUT, false);
  await tx.commitUpTo(10);
  t.deepEqual(tx.pendingCommittables(), ['tx-end'], 'the end-of-input transaction waits for the final checkpoint');
  await tx.commitAll();
  t.deepEqual(log.filter((l) => l.startsWith('commit')), ['commit tx-1,tx-2', 'commit tx-3', 'commit tx-end']);
  t.deepEqual(log.filter((l) => l.startsWith('flush')), ['flush false', 'flush false', 'flush false'], 'no second flush at the end of input');
});

test('task-state-restore: sinks commit the restored committables before a writer restored from them is created', async (t) => {
  const { log, op } = recordingSink();
  const state = { version: 1, operators: { 'sink-1': { sink: { committables: ['tx-4'], writerState: ['state-4'] } }, 'src-1': { sourceSplits: [{ s: 1 }] } } };
  const r = await restoreTaskState({ checkpointId: 4, state: state as never }, { task: 'v 0', operatorIds: ['src-1', 'sink-1'], backend: undefined, sinks: [op], sinkContext: CTX, sourceOperatorId: 'src-1' });
  t.deepEqual(r.sourceSplits, [{ s: 1 }]);
  t.deepEqual(log, ['commit tx-4', 'restore 4 tx-4 state-4']);
});

test('task-state-restore: state of an operator the task does not run, keyed state without a keyed operator, and timers are refused by name', async (t) => {
  const targets = { task: 'vertex v subtask 0', operatorIds: ['a'], backend: undefined, sinks: [], sinkContext: CTX, sourceOperatorId: undefined };
  const refuse = (state: unknown, message: RegExp) =>
    t.throwsAsync(restoreTaskState({ checkpointId: 1, state: state as never }, targets), { name: 'TaskRestoreError', message });
  await refuse({ version: 1, operators: { b: {} } }, /vertex v subtask 0 .*operator b, which is not in this task/);
  await refuse({ version: 1, operators: {}, keyed: [{ kind: 'key-groups' }] }, /no keyed operator/);
  await refuse({ version: 1, operators: {}, timers: {} }, /timers/);
});

test('task-checkpoint-snapshot: another version or shape is refused, saying what is wrong', (t) => {
  const check = (v: unknown) => () => checkTaskCheckpointSnapshot(v, 'vertex v subtask 0');
  t.throws(check(null), { name: 'TaskRestoreError', message: /not an object/ });
  t.throws(check({ version: 2, operators: {} }), { message: /version 2; this TaskManager reads version 1/ });
  t.throws(check({ version: 1, operators: {}, keyed: [{ kind: 'pickle' }] }), { message: /not a keyed state handle/ });
  t.throws(check({ version: 1, operators: { s: { sink: { committables: [] } } } }), { message: /sink of operator s/ });
  t.throws(check({ version: 1, operators: { s: { sourceSplits: 3 } } }), { message: /sourceSplits of operator s/ });
  t.notThrows(check({ version: 1, operators: { s: { sourceSplits: [] } }, finished: true }));
});

/**
 * Sets a task up for checkpoints before its first record: restores its state (or initializes fresh
 * transactional sinks) and builds its SubtaskCheckpointer from the task's parts. Kept apart from the
 * task loop, which only feeds the checkpointer its barriers and mails.
 */
import type { PlanNode } from '@eddy/common';
import type { ResultPartition } from '../network/index.js';
import { SinkOperator } from '../operators/sink-operator.js';
import type { StreamOperator } from '../operators/stream-operator.js';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { SourceDriver } from '../task/source-driver.js';
import type { TaskDescriptor } from '../task/task-descriptor.js';
import type { TaskPorts } from '../task/task-ports.js';
import type { HeapTimerService } from '../time/heap-timer-service.js';
import { TaskRestoreError } from './checkpoint-errors.js';
import { SinkTransactions } from './sink-transactions.js';
import { SubtaskCheckpointer } from './subtask-checkpointer.js';
import { restoreTaskState } from './task-state-restore.js';

export interface CheckpointedTaskParts {
  readonly descriptor: TaskDescriptor;
  readonly head: PlanNode;
  readonly operators: readonly StreamOperator[];
  readonly backend: KeyedStateBackend | undefined;
  readonly partitions: readonly ResultPartition[];
  readonly timers: readonly HeapTimerService[];
  readonly ports: TaskPorts;
  /** The task's source driver, once it runs. */
  source(): SourceDriver | undefined;
}

/** Undefined without checkpointing; else the checkpointer and the source reader's restored splits. */
export async function setUpCheckpointing(t: CheckpointedTaskParts): Promise<{ checkpointer: SubtaskCheckpointer; sourceSplits: unknown[] } | undefined> {
  const d = t.descriptor;
  const task = `vertex ${d.vertexId} subtask ${d.subtaskIndex}`;
  const checkpointing = d.checkpointing;
  if (!checkpointing) {
    if (d.restore) throw new TaskRestoreError(task, 'the task was deployed with state to restore but without checkpointing');
    return undefined;
  }
  const sinks = t.operators.filter((op): op is SinkOperator => op instanceof SinkOperator);
  const { sourceSplits } = await restoreTaskState(d.restore, {
    task,
    operatorIds: d.operatorIds,
    backend: t.backend,
    sinks,
    sinkContext: { subtaskIndex: d.subtaskIndex, parallelism: d.parallelism, jobId: d.jobId, checkpointing: true },
    sourceOperatorId: t.head.spec.kind === 'source' ? t.head.id : undefined,
  });
  const checkpointer = new SubtaskCheckpointer({
    vertexId: d.vertexId,
    subtaskIndex: d.subtaskIndex,
    checkpointing,
    ports: t.ports,
    backend: t.backend,
    sinks: sinks.filter((s) => s.twoPhase).map((s) => new SinkTransactions(s)),
    source: () => {
      const driver = t.source();
      if (driver === undefined) return undefined;
      return { operatorId: t.head.id, get snapshotGap() { return driver.snapshotGap; }, snapshotSplits: (n: number) => driver.snapshotSplits(n) };
    },
    emitBarrier: (b) => {
      for (const p of t.partitions) p.broadcastEvent({ type: 'barrier', checkpointId: b.checkpointId, timestamp: b.timestamp });
    },
    // Timers are not in snapshots yet: a snapshot without the pending ones would lose them on restore.
    timerGap: () => (t.timers.some((x) => x.pendingEventTimers > 0 || x.nextProcessingTime() !== undefined) ? 'the operators hold timers, which checkpoints cannot hold yet' : undefined),
    now: () => performance.now(),
  });
  return { checkpointer, sourceSplits };
}

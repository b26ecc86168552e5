/**
 * The coordinator's narrow view of a job's tasks: which tasks take part in a checkpoint, and the
 * calls it makes to them (JobManager → TaskManager). A gRPC adapter implements the gateway later;
 * tests use a recording fake. Every call names the task by key and attempt, so a call that reaches a
 * newer attempt of the same subtask is recognizably stale.
 */
import type { CheckpointMode } from './checkpoint-options.js';
import type { CheckpointStorageLocation } from './checkpoint-storage.js';

/** One running subtask, as the coordinator sees it. */
export interface CheckpointTask {
  readonly taskKey: string;
  readonly attemptId: string;
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** The operators chained in the task, in chain order; an acknowledgement may speak only of these. */
  readonly operatorIds: readonly string[];
  /** Sources are triggered by the coordinator; every other task receives barriers. */
  readonly isSource: boolean;
}

export type TaskRef = Pick<CheckpointTask, 'taskKey' | 'attemptId'>;

/** Either every task of the job, running, or why a checkpoint cannot start now. */
export type CheckpointTaskSet = { readonly kind: 'ready'; readonly tasks: readonly CheckpointTask[] } | { readonly kind: 'not-ready'; readonly reason: string };

/** What a source task needs to start checkpoint n; it travels on in the barrier. */
export interface CheckpointTriggerOptions {
  readonly mode: CheckpointMode;
  readonly location: CheckpointStorageLocation;
}

export interface CheckpointTaskGateway {
  triggerCheckpoint(task: TaskRef, checkpointId: number, timestamp: number, options: CheckpointTriggerOptions): Promise<void>;
  /** The checkpoint is complete: two-phase-commit sinks commit its committables. */
  notifyCheckpointComplete(task: TaskRef, checkpointId: number): Promise<void>;
  /** The checkpoint will never complete: the task drops what it holds for it. */
  notifyCheckpointAborted(task: TaskRef, checkpointId: number, reason: string): Promise<void>;
}

/** What checkpointTasksOf needs of an execution graph (structurally ExecutionGraph's). */
export interface CheckpointableGraph {
  readonly vertices: readonly {
    readonly vertex: { readonly id: string; readonly parallelism: number; readonly operators: readonly { readonly id: string; readonly kind: string }[] };
    readonly executions: readonly { readonly attemptId: string; readonly taskKey: string; readonly subtaskIndex: number; readonly state: string }[];
  }[];
}

/**
 * The tasks of an execution graph for a checkpoint: ready when every execution is RUNNING. A finished
 * task cannot take a snapshot, so a job whose bounded sources ended checkpoints no more.
 */
export function checkpointTasksOf(graph: CheckpointableGraph): CheckpointTaskSet {
  const tasks: CheckpointTask[] = [];
  for (const { vertex, executions } of graph.vertices) {
    for (const e of executions) {
      if (e.state !== 'RUNNING') return { kind: 'not-ready', reason: `task ${e.taskKey} is ${e.state}, not RUNNING` };
      tasks.push({
        taskKey: e.taskKey,
        attemptId: e.attemptId,
        vertexId: vertex.id,
        subtaskIndex: e.subtaskIndex,
        parallelism: vertex.parallelism,
        operatorIds: vertex.operators.map((o) => o.id),
        isSource: vertex.operators[0]?.kind === 'source',
      });
    }
  }
  if (tasks.length === 0) return { kind: 'not-ready', reason: 'the job has no tasks' };
  return { kind: 'ready', tasks };
}

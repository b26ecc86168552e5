/**
 * ExecutionGraph: the JobGraph expanded into executions, one per (vertex, subtask), tracked through the
 * ExecutionState lifecycle. Executions exist from the job's submission; they get their slots when the
 * job has them (subtask i of every vertex shares allocated slot i), so a job waiting for slots already
 * shows every subtask. It records facts; deciding what a state change means for the job is the
 * JobMaster's work.
 */
import {
  EXECUTION_TRANSITIONS,
  checkTransition,
  isTerminalExecutionState,
  newAttemptId,
  type ExecutionState,
  type GraphVertex,
  type JobGraph,
} from '@eddy/common';
import type { AllocatedSlot } from '../resourcemanager/resource-manager.js';
import { requiredSlots } from '../scheduler/slot-allocation.js';
import type { FailureInfo } from './failure-info.js';

export interface Execution {
  readonly attemptId: string;
  readonly vertex: GraphVertex;
  readonly subtaskIndex: number;
  /** Where the execution runs; undefined until the job got its slots. */
  slot: AllocatedSlot | undefined;
  readonly taskKey: string;
  state: ExecutionState;
  recordsIn: number;
  recordsOut: number;
  /** Epoch ms of the first record the attempt handled (0 = none yet), as its TaskManager reports. */
  firstRecordTime: number;
  /** Epoch ms the attempt reached a terminal state (0 = not yet). */
  endTime: number;
  failure: FailureInfo | undefined;
}

export interface ExecutionJobVertex {
  readonly vertex: GraphVertex;
  readonly executions: readonly Execution[];
}

export function taskKey(jobId: string, vertexId: string, subtaskIndex: number): string {
  return `${jobId}/${vertexId}/${subtaskIndex}`;
}

export class ExecutionGraph {
  readonly vertices: readonly ExecutionJobVertex[];
  private readonly byAttempt = new Map<string, Execution>();

  constructor(
    readonly jobId: string,
    readonly graph: JobGraph,
    newId: () => string = newAttemptId,
  ) {
    this.vertices = graph.vertices.map((vertex) => ({
      vertex,
      executions: Array.from({ length: vertex.parallelism }, (_, i): Execution => {
        const e: Execution = {
          attemptId: newId(),
          vertex,
          subtaskIndex: i,
          slot: undefined,
          taskKey: taskKey(jobId, vertex.id, i),
          state: 'CREATED',
          recordsIn: 0,
          recordsOut: 0,
          firstRecordTime: 0,
          endTime: 0,
          failure: undefined,
        };
        this.byAttempt.set(e.attemptId, e);
        return e;
      }),
    }));
  }

  /** The number of slots the job needs: its highest vertex parallelism. */
  get slotsNeeded(): number {
    return requiredSlots(this.graph.vertices.map((v) => v.parallelism));
  }

  /** Places subtask i of every vertex in `slots[i]`; there must be `slotsNeeded` of them. */
  assignSlots(slots: readonly AllocatedSlot[]): void {
    if (slots.length < this.slotsNeeded) throw new RangeError(`the job needs ${this.slotsNeeded} slots, got ${slots.length}`);
    for (const e of this.byAttempt.values()) e.slot = slots[e.subtaskIndex];
  }

  execution(attemptId: string): Execution | undefined {
    return this.byAttempt.get(attemptId);
  }

  executionsOf(vertexId: string): readonly Execution[] | undefined {
    return this.vertices.find((v) => v.vertex.id === vertexId)?.executions;
  }

  all(): Execution[] {
    return [...this.byAttempt.values()];
  }

  /** Moves `e` to `to`; throws IllegalStateError on a transition the lifecycle forbids. */
  transition(e: Execution, to: ExecutionState): void {
    checkTransition(EXECUTION_TRANSITIONS, `execution ${e.taskKey} (${e.attemptId})`, e.state, to);
    e.state = to;
  }

  nonTerminal(): Execution[] {
    return this.all().filter((e) => !isTerminalExecutionState(e.state));
  }

  allFinished(): boolean {
    return this.all().every((e) => e.state === 'FINISHED');
  }

  allTerminal(): boolean {
    return this.all().every((e) => isTerminalExecutionState(e.state));
  }

  onTaskManager(taskManagerId: string): Execution[] {
    return this.all().filter((e) => e.slot?.taskManagerId === taskManagerId);
  }
}

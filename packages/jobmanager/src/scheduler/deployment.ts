/**
 * Builds the TaskDeploymentDescriptor of every execution: which operators to run, where its inputs come
 * from (one gate per graph edge into the vertex, in graph edge order) and where its outputs go (one
 * partition per graph edge out of the vertex, with the data address of every consumer subtask).
 */
import { IllegalStateError, type eddy } from '@eddy/common';
import type { Execution, ExecutionGraph } from '../executiongraph/execution-graph.js';
import type { AllocatedSlot } from '../resourcemanager/resource-manager.js';
import { partitionerToProto } from '../rpc/job-graph-codec.js';

export interface Deployment {
  readonly execution: Execution;
  readonly slot: AllocatedSlot;
  readonly descriptor: eddy.v1.ITaskDeploymentDescriptor;
}

function slotOf(e: Execution): AllocatedSlot {
  if (!e.slot) throw new IllegalStateError(`execution ${e.taskKey} has no slot: assign the job's slots before deploying`);
  return e.slot;
}

/** Every execution's descriptor; `jobManagerId` tells the TaskManager which JobManager the task belongs to. */
export function buildDeployments(eg: ExecutionGraph, jobManagerId: string): Deployment[] {
  const { graph, jobId } = eg;
  const parallelismOf = new Map(graph.vertices.map((v) => [v.id, v.parallelism]));
  /** edge index -> its gate index at the target vertex */
  const gateOfEdge = new Map<number, number>();
  const gateCount = new Map<string, number>();
  graph.edges.forEach((e, i) => {
    const n = gateCount.get(e.target) ?? 0;
    gateOfEdge.set(i, n);
    gateCount.set(e.target, n + 1);
  });

  const deployments: Deployment[] = [];
  for (const { vertex, executions } of eg.vertices) {
    const inputs: eddy.v1.IInputGateDescriptor[] = [];
    const outputs: eddy.v1.IResultPartitionDescriptor[] = [];
    graph.edges.forEach((e, i) => {
      if (e.target === vertex.id) {
        inputs.push({
          gateIndex: gateOfEdge.get(i) ?? 0,
          inputIndex: e.inputIndex,
          partitioner: partitionerToProto(e.partitioner),
          numChannels: parallelismOf.get(e.source) ?? 0,
          sourceVertex: e.source,
        });
      }
      if (e.source === vertex.id) {
        const consumers = (eg.executionsOf(e.target) ?? []).map((c) => ({
          host: slotOf(c).host,
          port: slotOf(c).dataPort,
          taskKey: c.taskKey,
          gateIndex: gateOfEdge.get(i) ?? 0,
        }));
        outputs.push({ partitioner: partitionerToProto(e.partitioner), targetVertex: e.target, consumers, sideOutputTag: e.sideOutputTag ?? '', sourceOperator: e.sourceOperator ?? '' });
      }
    });
    for (const execution of executions) {
      const slot = slotOf(execution);
      deployments.push({
        execution,
        slot,
        descriptor: {
          jobId,
          attemptId: execution.attemptId,
          jobName: graph.name,
          vertexId: vertex.id,
          subtaskIndex: execution.subtaskIndex,
          parallelism: vertex.parallelism,
          maxParallelism: graph.maxParallelism,
          slotIndex: slot.index,
          operatorIds: vertex.operators.map((o) => o.id),
          taskKey: execution.taskKey,
          configJson: graph.configJson,
          jobManagerId,
          inputs,
          outputs,
        },
      });
    }
  }
  return deployments;
}

/** JobGraph <-> its protobuf form (partitioner names <-> the Partitioner enum). */
import { eddy, type JobGraph } from '@eddy/common';

const P = eddy.v1.Partitioner;
const TO_ENUM: Record<string, eddy.v1.Partitioner> = {
  forward: P.FORWARD,
  rebalance: P.REBALANCE,
  hash: P.HASH,
  broadcast: P.BROADCAST,
  rescale: P.RESCALE,
};

export function jobGraphToProto(g: JobGraph): eddy.v1.IJobGraph {
  return {
    name: g.name,
    maxParallelism: g.maxParallelism,
    configJson: g.configJson,
    vertices: g.vertices.map((v) => ({ id: v.id, name: v.name, parallelism: v.parallelism, operators: v.operators })),
    edges: g.edges.map((e) => ({ source: e.source, target: e.target, inputIndex: e.inputIndex, sideOutputTag: e.sideOutputTag ?? '', sourceOperator: e.sourceOperator ?? '', partitioner: TO_ENUM[e.partitioner] ?? P.PARTITIONER_UNSPECIFIED })),
  };
}

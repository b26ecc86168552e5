/**
 * Conversion between the wire JobGraph (proto) and the JobGraph type that validation and scheduling
 * read. Unknown partitioner values keep their raw name so that validation reports them.
 */
import { ValidationError, eddy, type GraphEdge, type JobGraph, type PartitionerName } from '@eddy/common';

const Partitioner = eddy.v1.Partitioner;

const NAME_OF: ReadonlyMap<number, PartitionerName> = new Map([
  [Partitioner.FORWARD, 'forward'],
  [Partitioner.REBALANCE, 'rebalance'],
  [Partitioner.HASH, 'hash'],
  [Partitioner.BROADCAST, 'broadcast'],
  [Partitioner.RESCALE, 'rescale'],
]);

const ENUM_OF: ReadonlyMap<string, eddy.v1.Partitioner> = new Map([...NAME_OF].map(([k, v]) => [v, k]));

/** The partitioner's name, or for an unknown value its enum name ('PARTITIONER_UNSPECIFIED') or number. */
export function partitionerName(p: eddy.v1.Partitioner | null | undefined): PartitionerName | string {
  const value = p ?? Partitioner.PARTITIONER_UNSPECIFIED;
  const known = NAME_OF.get(value);
  if (known) return known;
  const raw = (Partitioner as unknown as Record<number, string | undefined>)[value];
  return raw ?? String(value);
}

export function partitionerToProto(name: string): eddy.v1.Partitioner {
  return ENUM_OF.get(name) ?? Partitioner.PARTITIONER_UNSPECIFIED;
}

/** Converts and checks the shape validateJobGraph relies on (non-empty ids); semantic checks are its job. */
export function jobGraphFromProto(g: eddy.v1.IJobGraph | null | undefined): JobGraph {
  if (!g) throw new ValidationError('job_graph is missing');
  const name = g.name ?? '';
  const graph: JobGraph = {
    name,
    maxParallelism: g.maxParallelism ?? 0,
    vertices: (g.vertices ?? []).map((v) => ({
      id: v.id ?? '',
      name: v.name ?? '',
      parallelism: v.parallelism ?? 0,
      operators: (v.operators ?? []).map((o) => ({ id: o.id ?? '', name: o.name ?? '', kind: o.kind ?? '', keyed: o.keyed === true })),
    })),
    edges: (g.edges ?? []).map(
      (e): GraphEdge => ({
        source: e.source ?? '',
        target: e.target ?? '',
        partitioner: partitionerName(e.partitioner),
        inputIndex: e.inputIndex ?? 0,
        ...(e.sideOutputTag ? { sideOutputTag: e.sideOutputTag } : {}),
        ...(e.sourceOperator ? { sourceOperator: e.sourceOperator } : {}),
      }),
    ),
    configJson: g.configJson ?? '',
  };
  const problems: string[] = [];
  for (const v of graph.vertices) {
    if (v.id === '') problems.push(`vertex '${v.name}' has an empty id`);
    for (const op of v.operators) if (op.id === '') problems.push(`operator '${op.name}' has an empty id`);
    if (v.operators[0] !== undefined && v.operators[0].id !== v.id) {
      problems.push(`vertex '${v.id}' must be named after its first operator '${v.operators[0].id}'`);
    }
  }
  if (graph.configJson !== '') {
    try {
      JSON.parse(graph.configJson);
    } catch {
      problems.push('config_json is not valid JSON');
    }
  }
  if (problems.length > 0) throw new ValidationError(`invalid job '${name}': ${problems.join('; ')}`);
  return graph;
}

/**
 * JobGraph: the plan with forward edges of equal parallelism chained into vertices. Built by the client,
 * validated by the JobManager (which must not trust the client), deployed vertex by vertex.
 */
import { ValidationError } from './errors.js';
import { KEYED_KINDS, PARTITIONERS, type JobPlan, type OperatorKind, type PartitionerName } from './job-plan.js';
import { MAX_MAX_PARALLELISM } from './key-groups.js';

export interface GraphOperator {
  id: string;
  name: string;
  kind: OperatorKind | string;
  keyed: boolean;
}

export interface GraphVertex {
  id: string;
  name: string;
  parallelism: number;
  operators: GraphOperator[];
}

export interface GraphEdge {
  source: string;
  target: string;
  partitioner: PartitionerName | string;
  inputIndex: number;
  sideOutputTag?: string;
  /** The operator of the source vertex whose output this edge carries (chains may fork); absent = its last operator. */
  sourceOperator?: string;
}

export interface JobGraph {
  name: string;
  maxParallelism: number;
  vertices: GraphVertex[];
  edges: GraphEdge[];
  configJson: string;
}

/**
 * Chains operators: B joins A's vertex when A→B is B's only input, forward (not a side output), of
 * equal parallelism and both allow chaining. A may have several outputs: its chained successors form
 * a tree (a fork runs every branch by direct calls, as Flink's chains do) and its other outputs are
 * network edges that start at A inside the vertex. Operators are listed parents first.
 */
export function buildJobGraph(plan: JobPlan): JobGraph {
  const ins = new Map<string, number>();
  for (const e of plan.edges) ins.set(e.target, (ins.get(e.target) ?? 0) + 1);
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const chainedTo = new Map<string, string>(); // target op -> source op it is chained behind
  for (const e of plan.edges) {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    if (!a || !b) continue;
    if (e.sideOutputTag === undefined && e.partitioner === 'forward' && a.parallelism === b.parallelism &&
        ins.get(b.id) === 1 && a.chaining && b.chaining) {
      chainedTo.set(b.id, a.id);
    }
  }
  const children = new Map<string, string[]>();
  for (const [b, a] of chainedTo) children.set(a, [...(children.get(a) ?? []), b]);
  const vertexOf = new Map<string, string>();
  const lastOf = new Map<string, string>();
  const vertices: GraphVertex[] = [];
  for (const n of plan.nodes) {
    if (chainedTo.has(n.id)) continue; // not a chain head
    const ops: GraphOperator[] = [];
    const visit = (id: string): void => {
      const node = byId.get(id)!;
      ops.push({ id: node.id, name: node.name, kind: node.spec.kind, keyed: KEYED_KINDS.has(node.spec.kind) });
      vertexOf.set(id, n.id);
      for (const c of children.get(id) ?? []) visit(c);
    };
    visit(n.id);
    lastOf.set(n.id, ops[ops.length - 1]!.id);
    const forks = ops.some((o) => (children.get(o.id)?.length ?? 0) > 1);
    vertices.push({ id: n.id, name: forks ? chainName(n.id, children, byId) : ops.map((o) => o.name).join(' -> '), parallelism: n.parallelism, operators: ops });
  }
  const edges: GraphEdge[] = plan.edges
    .filter((e) => !chainedTo.has(e.target) || chainedTo.get(e.target) !== e.source)
    .map((e) => {
      const source = vertexOf.get(e.source) ?? e.source;
      return {
        source,
        target: vertexOf.get(e.target) ?? e.target,
        partitioner: e.partitioner,
        inputIndex: e.inputIndex,
        ...(e.sideOutputTag !== undefined ? { sideOutputTag: e.sideOutputTag } : {}),
        ...(lastOf.get(source) !== e.source ? { sourceOperator: e.source } : {}),
      };
    });
  return { name: plan.name, maxParallelism: plan.maxParallelism, vertices, edges, configJson: JSON.stringify(plan.config) };
}

/** "a -> (b -> c, d)": a chain tree's name, branches in parentheses. */
function chainName(id: string, children: ReadonlyMap<string, string[]>, byId: ReadonlyMap<string, { name: string }>): string {
  const kids = children.get(id) ?? [];
  const name = byId.get(id)!.name;
  if (kids.length === 0) return name;
  if (kids.length === 1) return `${name} -> ${chainName(kids[0]!, children, byId)}`;
  return `${name} -> (${kids.map((k) => chainName(k, children, byId)).join(', ')})`;
}

/**
 * Throws a ValidationError naming every problem found: what makes the graph unable to run on any
 * cluster. (Whether the cluster has the slots now is the scheduler's business: a job waits for them.)
 */
export function validateJobGraph(g: JobGraph): void {
  const problems: string[] = [];
  if (g.vertices.length === 0) problems.push('the job has no operators: add a source and a sink');
  if (!Number.isInteger(g.maxParallelism) || g.maxParallelism < 1 || g.maxParallelism > MAX_MAX_PARALLELISM) {
    problems.push(`maxParallelism must be an integer in [1, ${MAX_MAX_PARALLELISM}], got ${g.maxParallelism}`);
  }
  const vertices = new Map<string, GraphVertex>();
  const opIds = new Set<string>();
  for (const v of g.vertices) {
    if (vertices.has(v.id)) problems.push(`vertex id '${v.id}' is used twice`);
    vertices.set(v.id, v);
    if (!Number.isInteger(v.parallelism) || v.parallelism < 1) {
      problems.push(`operator '${v.name}' has parallelism ${v.parallelism}; it must be a positive integer`);
    } else if (v.parallelism > g.maxParallelism) {
      problems.push(`operator '${v.name}' has parallelism ${v.parallelism} above the job's maxParallelism ${g.maxParallelism}`);
    }
    if (v.operators.length === 0) problems.push(`vertex '${v.id}' has no operators`);
    for (const op of v.operators) {
      if (opIds.has(op.id)) problems.push(`operator id '${op.id}' is used twice: give each operator a unique uid()`);
      opIds.add(op.id);
    }
  }
  const inputs = new Map<string, GraphEdge[]>();
  for (const e of g.edges) {
    const s = vertices.get(e.source);
    const t = vertices.get(e.target);
    if (!s) problems.push(`an edge starts at unknown vertex '${e.source}'`);
    if (!t) problems.push(`an edge ends at unknown vertex '${e.target}'`);
    if (!PARTITIONERS.includes(e.partitioner as PartitionerName)) {
      problems.push(`edge ${e.source} -> ${e.target} has unknown partitioner '${e.partitioner}' (known: ${PARTITIONERS.join(', ')})`);
    }
    if (s && e.sourceOperator !== undefined && !s.operators.some((o) => o.id === e.sourceOperator)) {
      problems.push(`edge ${e.source} -> ${e.target} starts at operator '${e.sourceOperator}', which is not in vertex '${s.name}'`);
    }
    if (s && t && e.partitioner === 'forward' && s.parallelism !== t.parallelism) {
      problems.push(`forward edge '${s.name}' -> '${t.name}' joins parallelism ${s.parallelism} to ${t.parallelism}: use rebalance() or equal parallelism`);
    }
    if (t) inputs.set(t.id, [...(inputs.get(t.id) ?? []), e]);
  }
  for (const v of g.vertices) {
    const head = v.operators[0];
    if (!head) continue;
    const vin = inputs.get(v.id) ?? [];
    if (head.kind === 'source' && vin.length > 0) problems.push(`source '${head.name}' cannot have inputs`);
    if (head.kind !== 'source' && vin.length === 0) problems.push(`operator '${head.name}' has no input`);
    for (const op of v.operators) {
      if (!op.keyed) continue;
      if (op !== head) problems.push(`keyed operator '${op.name}' is chained behind another operator: it must read a keyBy() stream`);
      else if (vin.some((e) => e.partitioner !== 'hash')) {
        problems.push(`operator '${op.name}' needs a keyed stream: call keyBy() before it (its input is partitioned by ${vin.map((e) => e.partitioner).join(', ')})`);
      }
    }
  }
  const cycle = findCycle(g);
  if (cycle) problems.push(`the job graph has a cycle: ${cycle.join(' -> ')}`);
  if (problems.length > 0) throw new ValidationError(`invalid job '${g.name}': ${problems.join('; ')}`);
}

function findCycle(g: JobGraph): string[] | undefined {
  const out = new Map<string, string[]>();
  for (const e of g.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const state = new Map<string, 1 | 2>(); // 1 on stack, 2 done
  const stack: string[] = [];
  const visit = (v: string): string[] | undefined => {
    state.set(v, 1);
    stack.push(v);
    for (const w of out.get(v) ?? []) {
      if (state.get(w) === 1) return [...stack.slice(stack.indexOf(w)), w];
      if (!state.has(w)) {
        const c = visit(w);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(v, 2);
    return undefined;
  };
  for (const v of g.vertices) {
    if (!state.has(v.id)) {
      const c = visit(v.id);
      if (c) return c;
    }
  }
  return undefined;
}

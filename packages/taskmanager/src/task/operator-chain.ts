/**
 * Builds a vertex's operators, last to first, so each one's output calls its successors' inputs:
 * records and watermarks move along the chain by direct calls. A chain is a tree: an operator whose
 * output forks calls every chained branch in turn and writes its own network edges, if it has any.
 * Side outputs are never chained: they go to the operator's network output.
 *
 * Records are handed on by reference, to every branch of a fork too (like Flink with object reuse):
 * user functions must not mutate the records they are given.
 */
import type { JobPlan, PlanNode } from '@eddy/common';
import { CoProcessOperator, KeyedCoProcessOperator } from '../operators/co-process-operator.js';
import { IntervalJoinOperator } from '../operators/interval-join-operator.js';
import { ReduceOperator } from '../operators/keyed-operators.js';
import { KeyedProcessOperator, ProcessOperator } from '../operators/process-operator.js';
import { SinkOperator } from '../operators/sink-operator.js';
import { FilterOperator, FlatMapOperator, MapOperator, UserFunctionOperator } from '../operators/stateless-operators.js';
import type { Input, OperatorContext, Output, StreamOperator } from '../operators/stream-operator.js';
import { TimestampsOperator } from '../operators/timestamps-operator.js';
import { createWindowOperator } from '../operators/window/window-operator.js';

/** The output of a chained operator with one successor: its input, with side outputs to the network. */
class ChainingOutput implements Output {
  constructor(
    private readonly next: Input,
    private readonly network: Output,
  ) {}
  collect(value: unknown, timestamp: number): void {
    this.next.processElement(value, timestamp);
  }
  collectSide(tag: string, value: unknown, timestamp: number): void {
    this.network.collectSide(tag, value, timestamp);
  }
  emitWatermark(watermark: number): void {
    this.next.processWatermark(watermark);
  }
}

/** The output of a fork: every chained branch, then the operator's own network edges. */
class ForkingOutput implements Output {
  constructor(
    private readonly branches: readonly Input[],
    private readonly network: Output,
    private readonly hasNetworkEdges: boolean,
  ) {}
  collect(value: unknown, timestamp: number): void {
    const b = this.branches;
    for (let i = 0; i < b.length; i++) b[i]!.processElement(value, timestamp);
    if (this.hasNetworkEdges) this.network.collect(value, timestamp);
  }
  collectSide(tag: string, value: unknown, timestamp: number): void {
    this.network.collectSide(tag, value, timestamp);
  }
  emitWatermark(watermark: number): void {
    for (const b of this.branches) b.processWatermark(watermark);
    this.network.emitWatermark(watermark);
  }
}

/** An operator's exit to the network (its edges that leave the vertex). */
export interface NetworkOutput extends Output {
  /** True when the operator has main-output edges leaving the vertex. */
  readonly hasMainEdges: boolean;
}

export class OperatorChain {
  /** What the chain's first operator — or, for a source vertex, the source — writes to. */
  readonly entry: Input;
  /** Operators parents first (the source, if any, is not one: the task's source driver feeds the chain). */
  readonly operators: StreamOperator[];

  /** `nodes`: the vertex's operators parents first; `networkOf(id)`: the network output of operator `id`. */
  constructor(nodes: readonly PlanNode[], plan: JobPlan, networkOf: (operatorId: string) => NetworkOutput) {
    const inVertex = new Set(nodes.map((n) => n.id));
    const built = new Map<string, StreamOperator>();
    // the output of operator `id`: its chained successors (in plan edge order) and its network edges
    const branchesOf = (id: string): StreamOperator[] =>
      plan.edges.filter((e) => e.source === id && e.sideOutputTag === undefined && inVertex.has(e.target)).map((e) => built.get(e.target)!);
    const outputOf = (id: string): Output => {
      const network = networkOf(id);
      const branches = branchesOf(id);
      if (branches.length === 0) return network;
      if (branches.length === 1 && !network.hasMainEdges) return new ChainingOutput(branches[0]!, network);
      return new ForkingOutput(branches, network, network.hasMainEdges);
    };
    const ops: StreamOperator[] = [];
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      if (node.spec.kind === 'source') continue;
      const op = createOperator(node, outputOf(node.id), plan);
      if (op instanceof UserFunctionOperator) op.guard.deadLetters = node.deadLetters;
      built.set(node.id, op);
      ops.unshift(op);
    }
    const head = nodes[0]!;
    if (head.spec.kind === 'source') {
      const branches = branchesOf(head.id);
      const out = outputOf(head.id);
      this.entry =
        branches.length === 1 && !networkOf(head.id).hasMainEdges
          ? branches[0]!
          : { processElement: (v, t) => out.collect(v, t), processWatermark: (w) => out.emitWatermark(w) };
    } else {
      this.entry = built.get(head.id)!;
    }
    this.operators = ops;
  }

  open(ctx: OperatorContext): void {
    for (const op of this.operators) op.open(ctx);
  }

  /** End of input, first to last so each operator's final output reaches the next. */
  finish(): void {
    for (const op of this.operators) op.finish();
  }

  async flush(endOfInput: boolean): Promise<void> {
    for (const op of this.operators) await op.flush(endOfInput);
  }

  async close(): Promise<void> {
    for (const op of this.operators) await op.close();
  }
}

function createOperator(node: PlanNode, out: Output, plan: JobPlan): StreamOperator {
  const { id, name, spec } = node;
  switch (spec.kind) {
    case 'map':
      return new MapOperator(id, name, out, spec.fn);
    case 'filter':
      return new FilterOperator(id, name, out, spec.fn);
    case 'flat-map':
      return new FlatMapOperator(id, name, out, spec.fn);
    case 'process':
      return new ProcessOperator(id, name, out, spec.fn);
    case 'timestamps':
      return new TimestampsOperator(id, name, out, spec.watermarks);
    case 'reduce':
      return new ReduceOperator(id, name, out, keySelectorOf(node, plan, 0), spec.fn);
    case 'keyed-process':
      return new KeyedProcessOperator(id, name, out, spec.fn, keySelectorOf(node, plan, 0));
    case 'window':
      return createWindowOperator(id, name, out, spec.window, keySelectorOf(node, plan, 0));
    case 'co-process':
      return new CoProcessOperator(id, name, out, spec.fn);
    case 'keyed-co-process':
      return new KeyedCoProcessOperator(id, name, out, spec.fn, keySelectorOf(node, plan, 0), keySelectorOf(node, plan, 1));
    case 'interval-join':
      return new IntervalJoinOperator(id, name, out, spec.lowerMs, spec.upperMs, spec.fn, keySelectorOf(node, plan, 0), keySelectorOf(node, plan, 1));
    case 'sink':
      return new SinkOperator(id, name, spec.sink);
    case 'source':
      throw new Error(`source ${id} cannot be chained behind another operator`);
  }
}

function keySelectorOf(node: PlanNode, plan: JobPlan, inputIndex: number): (v: unknown) => unknown {
  const edge = plan.edges.find((e) => e.target === node.id && e.inputIndex === inputIndex && e.keySelector);
  if (!edge?.keySelector) {
    throw new Error(`operator '${node.name}' (${node.id}) needs a keyed stream on input ${inputIndex + 1}: call keyBy() before it`);
  }
  return edge.keySelector;
}

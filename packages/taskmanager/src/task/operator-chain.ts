/**
 * Builds a vertex's operators, last to first, so each one holds the next as its output: records move
 * along the chain by direct calls.
 */
import type { JobPlan, PlanNode, RuntimeContext } from '@eddy/common';
import { KeyedProcessOperator, ReduceOperator } from '../operators/keyed-operators.js';
import { SinkOperator } from '../operators/sink-operator.js';
import { FilterOperator, FlatMapOperator, MapOperator, ProcessOperator } from '../operators/stateless-operators.js';
import type { Output, StreamOperator } from '../operators/stream-operator.js';

export class OperatorChain {
  /** Where records entering the chain go (the first non-source operator, or the network output). */
  readonly head: Output;
  readonly operators: StreamOperator[];

  constructor(nodes: readonly PlanNode[], plan: JobPlan, tail: Output) {
    const ops: StreamOperator[] = [];
    let next: Output = tail;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      if (node.spec.kind === 'source') continue; // the task's source loop feeds the chain
      const op = createOperator(node, next, plan, i === 0);
      ops.unshift(op);
      next = op;
    }
    this.head = next;
    this.operators = ops;
  }

  open(ctx: Omit<RuntimeContext, 'operatorId'>): void {
    for (const op of this.operators) op.open({ ...ctx, operatorId: op.id });
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

function createOperator(node: PlanNode, out: Output, plan: JobPlan, isHead: boolean): StreamOperator {
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
    case 'reduce':
      return new ReduceOperator(id, name, out, keySelectorOf(node, plan, isHead), spec.fn);
    case 'keyed-process':
      return new KeyedProcessOperator(id, name, out, spec.fn, keySelectorOf(node, plan, isHead));
    case 'sink':
      return new SinkOperator(id, name, spec.sink);
    case 'source':
      throw new Error(`source ${id} cannot be chained behind another operator`);
  }
}

function keySelectorOf(node: PlanNode, plan: JobPlan, isHead: boolean): (v: unknown) => unknown {
  const edge = plan.edges.find((e) => e.target === node.id && e.keySelector);
  if (!isHead || !edge?.keySelector) {
    throw new Error(`operator '${node.name}' (${node.id}) needs a keyed stream: call keyBy() before it`);
  }
  return edge.keySelector;
}

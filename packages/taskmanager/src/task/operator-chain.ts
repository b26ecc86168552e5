/**
 * Builds a vertex's operators, last to first, so each one's output calls the next one's input: records
 * and watermarks move along the chain by direct calls. Side outputs skip the chain and go to the task's
 * network output (an operator with side-output consumers always ends its chain).
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
import { WindowOperator } from '../operators/window/window-operator.js';

/** The output of a chained operator: the next operator's input, with side outputs to the network. */
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

export class OperatorChain {
  /** The first operator that takes records (after the source, if any); undefined for a bare source. */
  readonly head: StreamOperator | undefined;
  readonly operators: StreamOperator[];

  constructor(nodes: readonly PlanNode[], plan: JobPlan, network: Output) {
    const ops: StreamOperator[] = [];
    let out: Output = network;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      if (node.spec.kind === 'source') continue; // the task's source driver feeds the chain
      const op = createOperator(node, out, plan);
      if (op instanceof UserFunctionOperator) op.guard.deadLetters = node.deadLetters;
      ops.unshift(op);
      out = new ChainingOutput(op, network);
    }
    this.head = ops[0];
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
      return new WindowOperator(id, name, out, spec.window, keySelectorOf(node, plan, 0));
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

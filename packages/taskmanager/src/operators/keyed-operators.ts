/** reduce() on a keyed stream: a running aggregate per key, kept in the keyed state backend. */
import type { InternalReducingState } from '../state/keyed-state-backend.js';
import { UserFunctionOperator } from './stateless-operators.js';
import type { OperatorContext, Output } from './stream-operator.js';

export class ReduceOperator extends UserFunctionOperator {
  private state!: InternalReducingState<unknown>;
  private setKey!: (key: unknown) => void;

  constructor(
    id: string,
    name: string,
    out: Output,
    private readonly keySelector: (v: unknown) => unknown,
    private readonly fn: (a: unknown, b: unknown) => unknown,
  ) {
    super(id, name, out);
  }

  override open(ctx: OperatorContext): void {
    const backend = ctx.stateBackend;
    if (!backend) throw new Error(`reduce '${this.name}' needs keyed state: call keyBy() before reduce()`);
    this.setKey = (k) => backend.setCurrentKey(k);
    this.state = backend.getReducingState(this.id, { kind: 'reducing', name: 'reduce', reduce: this.fn });
  }

  processElement(value: unknown, timestamp: number): void {
    let next: unknown;
    try {
      this.setKey(this.keySelector(value));
      this.state.add(value);
      next = this.state.get();
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    this.out.collect(next, timestamp);
  }
}

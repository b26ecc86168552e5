/**
 * JobRestarts: whether and when a failed job restarts from its latest checkpoint, by the restart
 * strategy the job asked for (env.setRestartStrategy), and the history of its failures. The job's
 * strategy options (the SDK's names) are compiled into the scheduler's RestartStrategy here.
 */
import type { RestartStrategyConfig } from '@eddy/common';
import { RestartHistory } from '../scheduler/restart-history.js';
import { compileRestartStrategyOptions, type RestartStrategyOptions } from '../scheduler/restart-strategy-options.js';
import { createRestartStrategy, type RestartDecision, type RestartStrategy } from '../scheduler/restart-strategy.js';

function strategyOptions(c: RestartStrategyConfig): RestartStrategyOptions {
  switch (c.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fixed-delay':
      return { kind: 'fixed-delay', attempts: c.attempts, delayMs: c.delayMs };
    case 'exponential-backoff':
      return { kind: 'exponential-delay', initialMs: c.initialMs, maxMs: c.maxMs, multiplier: c.multiplier, resetAfterMs: c.resetAfterMs, jitter: c.jitter };
    case 'failure-rate':
      return { kind: 'failure-rate', maxFailures: c.maxFailures, intervalMs: c.intervalMs, delayMs: c.delayMs };
  }
}

export class JobRestarts {
  readonly history = new RestartHistory();
  private readonly strategy: RestartStrategy;
  private restartCount = 0;

  constructor(
    config: RestartStrategyConfig,
    private readonly clock: () => number,
  ) {
    this.strategy = createRestartStrategy(compileRestartStrategyOptions(strategyOptions(config)), { clock });
  }

  get description(): string {
    return this.strategy.description;
  }

  /** Restarts done so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /** A failure of the running job: restart after `delayMs`, or not (the job then fails). */
  onFailure(cause: unknown): RestartDecision {
    const decision = this.strategy.onFailure(cause);
    this.history.recordFailure(this.clock(), cause, decision);
    return decision;
  }

  /** The job was deployed again, from `checkpointId` (undefined: from the start, no checkpoint yet). */
  restarted(checkpointId: number | undefined): void {
    this.restartCount++;
    this.history.recordRestore(this.clock(), checkpointId);
  }
}

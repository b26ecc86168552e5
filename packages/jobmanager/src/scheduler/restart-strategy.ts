/**
 * Restart strategies: whether and when a failed job restarts from its latest checkpoint (Flink's
 * RestartBackoffTimeStrategy). Pure classes driven by an injected clock (and, for jitter, an
 * injected random source): `onFailure` records a failure at the clock's time and decides. A failure
 * whose retry hint is `no-retry` is never restarted; an exhausted strategy says so, stays exhausted,
 * and the job fails with its history of causes (restart-history.ts).
 *
 * - fixed delay: at most `attempts` restarts, each after `delayMs`;
 * - exponential delay (the default): `initialMs`, times `multiplier` per restart up to `maxMs`,
 *   with jitter; back to `initialMs` once the job ran `resetAfterMs` without failing;
 * - failure rate: restarts after `delayMs` as long as at most `maxFailures` failures fall within
 *   any `intervalMs`.
 */
import { classifyFailure } from './failure-cause.js';
import type { CompiledRestartStrategyOptions } from './restart-strategy-options.js';

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number }
  | { readonly restart: false; readonly reason: 'exhausted' | 'not-retryable'; readonly message: string };

export interface RestartStrategy {
  /** One line for humans, e.g. `fixed-delay (3 attempts, 1000 ms)`. */
  readonly description: string;
  /** True once the strategy refused a restart because its budget is spent; it never restarts again. */
  readonly exhausted: boolean;
  /** Records a failure at the clock's current time and decides whether and when to restart. */
  onFailure(cause: unknown): RestartDecision;
}

export interface RestartStrategyDeps {
  readonly clock: () => number;
  /** Uniform in [0, 1); only the exponential strategy's jitter draws from it. @default Math.random */
  readonly random?: () => number;
}

export function createRestartStrategy(o: CompiledRestartStrategyOptions, deps: RestartStrategyDeps): RestartStrategy {
  switch (o.kind) {
    case 'none':
      return new NoRestartStrategy();
    case 'fixed-delay':
      return new FixedDelayRestartStrategy(o.attempts, o.delayMs);
    case 'exponential-delay':
      return new ExponentialDelayRestartStrategy(o, deps.clock, deps.random ?? Math.random);
    case 'failure-rate':
      return new FailureRateRestartStrategy(o.maxFailures, o.intervalMs, o.delayMs, deps.clock);
  }
}

/** The shared part: retry hints and exhaustion. Subclasses decide the delay of a retryable failure. */
abstract class BaseRestartStrategy implements RestartStrategy {
  abstract readonly description: string;
  private spent = false;

  get exhausted(): boolean {
    return this.spent;
  }

  onFailure(cause: unknown): RestartDecision {
    const failure = classifyFailure(cause);
    if (failure.retryHint === 'no-retry') return { restart: false, reason: 'not-retryable', message: `the failure cannot be retried (${failure.domain} error)` };
    if (!this.spent) {
      const delayMs = this.delayFor();
      if (delayMs !== undefined) return { restart: true, delayMs };
      this.spent = true;
    }
    return { restart: false, reason: 'exhausted', message: `restart strategy ${this.description} is exhausted` };
  }

  /** The delay of the restart after a retryable failure now, or undefined when the budget is spent. */
  protected abstract delayFor(): number | undefined;
}

export class NoRestartStrategy extends BaseRestartStrategy {
  readonly description = 'none';
  protected delayFor(): undefined {
    return undefined;
  }
}

export class FixedDelayRestartStrategy extends BaseRestartStrategy {
  readonly description: string;
  private restarts = 0;

  constructor(
    private readonly attempts: number,
    private readonly delayMs: number,
  ) {
    super();
    this.description = `fixed-delay (${attempts} attempts, ${delayMs} ms)`;
  }

  protected delayFor(): number | undefined {
    if (this.restarts >= this.attempts) return undefined;
    this.restarts++;
    return this.delayMs;
  }
}

export class ExponentialDelayRestartStrategy extends BaseRestartStrategy {
  readonly description: string;
  private currentMs: number;
  private attempts = 0;
  /** When the job came back after its last restart; undefined before the first failure. */
  private runningSince: number | undefined;

  constructor(
    private readonly o: Extract<CompiledRestartStrategyOptions, { kind: 'exponential-delay' }>,
    private readonly clock: () => number,
    private readonly random: () => number,
  ) {
    super();
    this.currentMs = o.initialMs;
    this.description = `exponential-delay (${o.initialMs} ms to ${o.maxMs} ms, x${o.multiplier}, reset after ${o.resetAfterMs} ms)`;
  }

  protected delayFor(): number | undefined {
    const now = this.clock();
    if (this.runningSince !== undefined && now - this.runningSince >= this.o.resetAfterMs) {
      this.currentMs = this.o.initialMs;
      this.attempts = 0;
    }
    if (this.attempts >= this.o.maxAttempts) return undefined;
    this.attempts++;
    const spread = this.o.jitter * this.currentMs * (2 * this.random() - 1);
    const delayMs = Math.min(this.o.maxMs, Math.max(0, Math.round(this.currentMs + spread)));
    this.currentMs = Math.min(this.o.maxMs, this.currentMs * this.o.multiplier);
    this.runningSince = now + delayMs;
    return delayMs;
  }
}

export class FailureRateRestartStrategy extends BaseRestartStrategy {
  readonly description: string;
  private readonly failures: number[] = [];

  constructor(
    private readonly maxFailures: number,
    private readonly intervalMs: number,
    private readonly delayMs: number,
    private readonly clock: () => number,
  ) {
    super();
    this.description = `failure-rate (${maxFailures} failures per ${intervalMs} ms, ${delayMs} ms)`;
  }

  protected delayFor(): number | undefined {
    const now = this.clock();
    this.failures.push(now);
    while (this.failures.length > 0 && this.failures[0]! <= now - this.intervalMs) this.failures.shift();
    return this.failures.length > this.maxFailures ? undefined : this.delayMs;
  }
}

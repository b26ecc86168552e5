/**
 * Restart strategies: what the JobManager does when an attempt of a job fails (a task threw, a
 * TaskManager was lost). The job is restarted from its latest completed checkpoint, or from the start
 * without checkpoints, after the delay the strategy gives, or it fails for good. Only the options
 * live here (compiled once, carried in the job's config); the JobManager applies them.
 *
 * Defaults are Flink's: without checkpointing a failed job is not restarted (`none`); with
 * checkpointing it restarts with exponential backoff.
 */
import type { CheckpointConfig } from './checkpoint-config.js';
import { ValidationError } from './errors.js';
import { checkKnownOptions, describeValue, isFiniteNumber, isInteger } from './option-checks.js';

export type RestartStrategyOptions =
  | {
      readonly kind: 'fixed-delay';
      /** Restarts before the job fails for good. @default 1 */
      readonly attempts?: number;
      /** @default 1000 */
      readonly delayMs?: number;
    }
  | {
      readonly kind: 'exponential-backoff';
      /** Delay before the first restart. @default 1000 */
      readonly initialMs?: number;
      /** Upper bound of the delay. @default 60000 */
      readonly maxMs?: number;
      /** Each restart multiplies the delay by this. @default 1.5 */
      readonly multiplier?: number;
      /** A job that ran this long without failing starts again from initialMs. @default 3600000 (1 h) */
      readonly resetAfterMs?: number;
      /** Each delay is varied at random by up to this fraction, so many jobs do not restart in step. @default 0.1 */
      readonly jitter?: number;
    }
  | {
      readonly kind: 'failure-rate';
      /** More failures than this within intervalMs fail the job for good. @default 1 */
      readonly maxFailures?: number;
      /** @default 60000 */
      readonly intervalMs?: number;
      /** @default 1000 */
      readonly delayMs?: number;
    }
  | { readonly kind: 'none' };

export type RestartStrategyKind = RestartStrategyOptions['kind'];

/** Compiled: every field of the kind present and valid. */
export type RestartStrategyConfig =
  | { readonly kind: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly kind: 'exponential-backoff';
      readonly initialMs: number;
      readonly maxMs: number;
      readonly multiplier: number;
      readonly resetAfterMs: number;
      readonly jitter: number;
    }
  | { readonly kind: 'failure-rate'; readonly maxFailures: number; readonly intervalMs: number; readonly delayMs: number }
  | { readonly kind: 'none' };

const DEFAULTS = {
  'fixed-delay': { kind: 'fixed-delay', attempts: 1, delayMs: 1000 },
  'exponential-backoff': { kind: 'exponential-backoff', initialMs: 1000, maxMs: 60_000, multiplier: 1.5, resetAfterMs: 3_600_000, jitter: 0.1 },
  'failure-rate': { kind: 'failure-rate', maxFailures: 1, intervalMs: 60_000, delayMs: 1000 },
  none: { kind: 'none' },
} as const satisfies { [K in RestartStrategyKind]: Extract<RestartStrategyConfig, { kind: K }> };

const KINDS = Object.keys(DEFAULTS) as RestartStrategyKind[];

/** The strategy of a job that did not choose one. */
export function defaultRestartStrategy(checkpointing: CheckpointConfig | null): RestartStrategyConfig {
  return checkpointing === null ? DEFAULTS.none : DEFAULTS['exponential-backoff'];
}

/** Validates and fills defaults; throws a ValidationError saying exactly which option is wrong. */
export function compileRestartStrategy(options: unknown): RestartStrategyConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`restart strategy: options must be an object with a kind, got ${describeValue(options)}`);
  }
  const kind = (options as { kind?: unknown }).kind;
  if (!KINDS.includes(kind as RestartStrategyKind)) {
    throw new ValidationError(`restart strategy: kind must be ${KINDS.map((k) => `'${k}'`).join(', ')}, got ${describeValue(kind)}`);
  }
  const defaults = DEFAULTS[kind as RestartStrategyKind];
  const prefix = `restart strategy ${String(kind)}`;
  checkKnownOptions(prefix, options, Object.keys(defaults));
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const c = { ...defaults, ...given } as Record<string, unknown>;
  const check = new FieldChecks(prefix, c);
  switch (kind as RestartStrategyKind) {
    case 'fixed-delay':
      check.positiveInteger('attempts');
      check.nonNegativeInteger('delayMs');
      break;
    case 'exponential-backoff':
      check.positiveInteger('initialMs');
      check.positiveInteger('maxMs');
      if ((c.maxMs as number) < (c.initialMs as number)) {
        throw new ValidationError(`${prefix}: maxMs must be >= initialMs (${String(c.initialMs)}), got ${String(c.maxMs)}`);
      }
      if (!isFiniteNumber(c.multiplier) || c.multiplier < 1) {
        throw new ValidationError(`${prefix}: multiplier must be a number >= 1, got ${describeValue(c.multiplier)}`);
      }
      check.positiveInteger('resetAfterMs');
      if (!isFiniteNumber(c.jitter) || c.jitter < 0 || c.jitter > 1) {
        throw new ValidationError(`${prefix}: jitter must be a number in [0, 1], got ${describeValue(c.jitter)}`);
      }
      break;
    case 'failure-rate':
      check.positiveInteger('maxFailures');
      check.positiveInteger('intervalMs');
      check.nonNegativeInteger('delayMs');
      break;
    case 'none':
      break;
  }
  return c as RestartStrategyConfig;
}

class FieldChecks {
  constructor(
    private readonly prefix: string,
    private readonly c: Record<string, unknown>,
  ) {}
  positiveInteger(field: string): void {
    const v = this.c[field];
    if (!isInteger(v) || v < 1) throw new ValidationError(`${this.prefix}: ${field} must be a positive integer, got ${describeValue(v)}`);
  }
  nonNegativeInteger(field: string): void {
    const v = this.c[field];
    if (!isInteger(v) || v < 0) throw new ValidationError(`${this.prefix}: ${field} must be a non-negative integer, got ${describeValue(v)}`);
  }
}

/**
 * RestartStrategyOptions: which restart strategy a job uses and its parameters, all optional, with
 * Flink's defaults. `compileRestartStrategyOptions` validates them once; the default is exponential
 * delay.
 */
import { ValidationError } from '@eddy/common';

export type RestartStrategyOptions =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'fixed-delay';
      /** Restarts allowed; Infinity for no limit. @default 1 */
      readonly attempts?: number;
      /** @default 1000 */
      readonly delayMs?: number;
    }
  | {
      readonly kind: 'exponential-delay';
      /** Delay of the first restart. @default 1000 */
      readonly initialMs?: number;
      /** The delay never grows beyond this. @default 60000 */
      readonly maxMs?: number;
      /** @default 1.5 */
      readonly multiplier?: number;
      /** After running this long without failure, the delay starts again from initialMs. @default 3600000 */
      readonly resetAfterMs?: number;
      /** Each delay is moved by up to this fraction of itself, up or down, at random. @default 0.1 */
      readonly jitter?: number;
      /** Restarts allowed between two resets; Infinity for no limit. @default Infinity */
      readonly maxAttempts?: number;
    }
  | {
      readonly kind: 'failure-rate';
      /** Failures allowed within `intervalMs`; one more and the job fails. @default 1 */
      readonly maxFailures?: number;
      /** @default 60000 */
      readonly intervalMs?: number;
      /** @default 1000 */
      readonly delayMs?: number;
    };

export type CompiledRestartStrategyOptions =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly kind: 'exponential-delay';
      readonly initialMs: number;
      readonly maxMs: number;
      readonly multiplier: number;
      readonly resetAfterMs: number;
      readonly jitter: number;
      readonly maxAttempts: number;
    }
  | { readonly kind: 'failure-rate'; readonly maxFailures: number; readonly intervalMs: number; readonly delayMs: number };

const MAX_MS = 2_147_483_647;

/** Validates `o` and fills defaults; throws a ValidationError naming the first bad option. */
export function compileRestartStrategyOptions(o: RestartStrategyOptions = { kind: 'exponential-delay' }): CompiledRestartStrategyOptions {
  switch (o.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fixed-delay':
      return { kind: 'fixed-delay', attempts: count('attempts', o.attempts ?? 1), delayMs: ms('delayMs', o.delayMs ?? 1000) };
    case 'exponential-delay': {
      const initialMs = ms('initialMs', o.initialMs ?? 1000);
      const maxMs = ms('maxMs', o.maxMs ?? 60_000);
      if (maxMs < initialMs) throw new ValidationError(`maxMs (${maxMs}) must not be less than initialMs (${initialMs})`);
      const multiplier = o.multiplier ?? 1.5;
      if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1) throw new ValidationError(`multiplier must be a number of at least 1, got ${String(multiplier)}`);
      const jitter = o.jitter ?? 0.1;
      if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) throw new ValidationError(`jitter must be a number in [0, 1], got ${String(jitter)}`);
      const resetAfterMs = ms('resetAfterMs', o.resetAfterMs ?? 3_600_000);
      return { kind: 'exponential-delay', initialMs, maxMs, multiplier, resetAfterMs, jitter, maxAttempts: count('maxAttempts', o.maxAttempts ?? Infinity) };
    }
    case 'failure-rate': {
      const maxFailures = count('maxFailures', o.maxFailures ?? 1);
      if (maxFailures === Infinity) throw new ValidationError('maxFailures must be finite');
      return { kind: 'failure-rate', maxFailures, intervalMs: ms('intervalMs', o.intervalMs ?? 60_000, 1), delayMs: ms('delayMs', o.delayMs ?? 1000) };
    }
    default:
      throw new ValidationError(`restart strategy must be one of none, fixed-delay, exponential-delay, failure-rate, got '${String((o as { kind?: unknown }).kind)}'`);
  }
}

function ms(name: string, v: number, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_MS) throw new ValidationError(`${name} must be an integer of milliseconds in [${min}, ${MAX_MS}], got ${String(v)}`);
  return v;
}

function count(name: string, v: number): number {
  if (v === Infinity) return v;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ValidationError(`${name} must be a non-negative integer or Infinity, got ${String(v)}`);
  return v;
}

/**
 * CheckpointCoordinatorOptions: what a job may set, all optional, with Flink's defaults.
 * `compileCheckpointOptions` validates them once; only the compiled form reaches the coordinator.
 */
import { ValidationError } from '@eddy/common';

/** `exactly-once` aligns barriers on every input; `at-least-once` does not. */
export type CheckpointMode = 'exactly-once' | 'at-least-once';
export const CHECKPOINT_MODES: readonly CheckpointMode[] = ['exactly-once', 'at-least-once'];

export interface CheckpointCoordinatorOptions {
  /** Time between periodic triggers; undefined = no periodic checkpoints (only explicit triggers). */
  intervalMs?: number;
  /** @default 'exactly-once' */
  mode?: CheckpointMode;
  /** A checkpoint not complete after this long fails. @default 600000 (10 minutes) */
  timeoutMs?: number;
  /** Least time between the end of one checkpoint and the trigger of the next. @default 0 */
  minPauseMs?: number;
  /** Checkpoints in progress at once; must be 1 when minPauseMs > 0. @default 1 */
  maxConcurrent?: number;
  /** Completed checkpoints kept for recovery. @default 3 */
  retained?: number;
}

export interface CompiledCheckpointOptions {
  readonly intervalMs: number | undefined;
  readonly mode: CheckpointMode;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly maxConcurrent: number;
  readonly retained: number;
}

/** The shortest interval and timeout accepted (Flink's minimal checkpoint time). */
export const MIN_CHECKPOINT_MS = 10;
/** Timers cannot wait longer (setTimeout's 32-bit limit). */
const MAX_MS = 2_147_483_647;

/** Validates `o` and fills defaults; throws a ValidationError naming the first bad option. */
export function compileCheckpointOptions(o: CheckpointCoordinatorOptions = {}): CompiledCheckpointOptions {
  const intervalMs = o.intervalMs === undefined ? undefined : intIn('intervalMs', o.intervalMs, MIN_CHECKPOINT_MS, MAX_MS);
  const mode = o.mode ?? 'exactly-once';
  if (!CHECKPOINT_MODES.includes(mode)) throw new ValidationError(`mode must be one of ${CHECKPOINT_MODES.join(', ')}, got '${String(mode)}'`);
  const timeoutMs = intIn('timeoutMs', o.timeoutMs ?? 600_000, MIN_CHECKPOINT_MS, MAX_MS);
  const minPauseMs = intIn('minPauseMs', o.minPauseMs ?? 0, 0, MAX_MS);
  const maxConcurrent = intIn('maxConcurrent', o.maxConcurrent ?? 1, 1, 1000);
  const retained = intIn('retained', o.retained ?? 3, 1, 1000);
  if (minPauseMs > 0 && maxConcurrent > 1) {
    throw new ValidationError(`maxConcurrent (${maxConcurrent}) must be 1 when minPauseMs (${minPauseMs}) is set: a pause leaves no room for overlapping checkpoints`);
  }
  return { intervalMs, mode, timeoutMs, minPauseMs, maxConcurrent, retained };
}

function intIn(name: string, v: number, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ValidationError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

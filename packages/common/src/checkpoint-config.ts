/**
 * Checkpointing options (docs/decisions/0001-checkpoints.md): what a job asks of the JobManager's
 * checkpoint coordinator. The SDK compiles them once with compileCheckpointConfig() into the job's
 * config (config_json of the job graph); the JobManager compiles them again from there, because it
 * must not trust the client. Defaults are Flink's.
 */
import { ValidationError } from './errors.js';
import { checkKnownOptions, describeValue, isInteger } from './option-checks.js';

/**
 * - `exactly-once`: a task with several inputs aligns barrier n (holds back the channels that
 *   delivered it) before it snapshots, so the snapshot holds exactly the records before n;
 * - `at-least-once`: no alignment; after a restore some records may be processed twice.
 */
export type CheckpointingMode = 'exactly-once' | 'at-least-once';
export const CHECKPOINTING_MODES: readonly CheckpointingMode[] = ['exactly-once', 'at-least-once'];

export interface CheckpointingOptions {
  /** @default 'exactly-once' */
  readonly mode?: CheckpointingMode;
  /** A checkpoint that has not completed after this long is aborted. @default 600000 (10 min) */
  readonly timeoutMs?: number;
  /** Least time from the end of one checkpoint to the trigger of the next. @default 0 */
  readonly minPauseMs?: number;
  /** Checkpoints in flight at once. @default 1 */
  readonly maxConcurrent?: number;
  /** Completed checkpoints kept; the latest is the restore point. @default 1 */
  readonly retained?: number;
}

/** Compiled: every field present and valid. */
export interface CheckpointConfig {
  /** Time between the triggers of two checkpoints, in ms. */
  readonly intervalMs: number;
  readonly mode: CheckpointingMode;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly maxConcurrent: number;
  readonly retained: number;
}

/** Shorter intervals would spend the job on barriers (Flink's lower bound too). */
export const MIN_CHECKPOINT_INTERVAL_MS = 10;

const DEFAULTS: Omit<CheckpointConfig, 'intervalMs'> = {
  mode: 'exactly-once',
  timeoutMs: 10 * 60_000,
  minPauseMs: 0,
  maxConcurrent: 1,
  retained: 1,
};

const P = 'checkpointing';

/** Validates and fills defaults; throws a ValidationError saying exactly which option is wrong. */
export function compileCheckpointConfig(intervalMs: unknown, options: unknown = {}): CheckpointConfig {
  if (!isInteger(intervalMs) || intervalMs < MIN_CHECKPOINT_INTERVAL_MS) {
    throw new ValidationError(`${P}: intervalMs must be an integer >= ${MIN_CHECKPOINT_INTERVAL_MS} (milliseconds), got ${describeValue(intervalMs)}`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`${P}: options must be an object, got ${describeValue(options)}`);
  }
  checkKnownOptions(P, options, Object.keys(DEFAULTS));
  const o = { ...DEFAULTS, ...dropUndefined(options as CheckpointingOptions) };
  if (!CHECKPOINTING_MODES.includes(o.mode)) {
    throw new ValidationError(`${P}: mode must be 'exactly-once' or 'at-least-once', got ${describeValue(o.mode)}`);
  }
  if (!isInteger(o.timeoutMs) || o.timeoutMs < MIN_CHECKPOINT_INTERVAL_MS) {
    throw new ValidationError(`${P}: timeoutMs must be an integer >= ${MIN_CHECKPOINT_INTERVAL_MS} (milliseconds), got ${describeValue(o.timeoutMs)}`);
  }
  if (!isInteger(o.minPauseMs) || o.minPauseMs < 0) {
    throw new ValidationError(`${P}: minPauseMs must be a non-negative integer (milliseconds), got ${describeValue(o.minPauseMs)}`);
  }
  if (!isInteger(o.maxConcurrent) || o.maxConcurrent < 1) {
    throw new ValidationError(`${P}: maxConcurrent must be a positive integer, got ${describeValue(o.maxConcurrent)}`);
  }
  if (!isInteger(o.retained) || o.retained < 1) {
    throw new ValidationError(`${P}: retained must be a positive integer, got ${describeValue(o.retained)}`);
  }
  // A pause after each checkpoint leaves no room for a second one in flight; saying so beats
  // silently running them one at a time.
  if (o.minPauseMs > 0 && o.maxConcurrent > 1) {
    throw new ValidationError(`${P}: maxConcurrent must be 1 when minPauseMs is set (a pause between checkpoints allows one at a time), got ${o.maxConcurrent}`);
  }
  return { intervalMs, mode: o.mode, timeoutMs: o.timeoutMs, minPauseMs: o.minPauseMs, maxConcurrent: o.maxConcurrent, retained: o.retained };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

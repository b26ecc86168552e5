/** Errors the window operators raise about their input. */
import { ValidationError } from '@eddy/common';
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js';

/** The keyed state backend a window operator needs, or the error that says to keyBy() first. */
export function keyedStateOf(backend: KeyedStateBackend | undefined, name: string, id: string): KeyedStateBackend {
  if (!backend) throw new ValidationError(`window operator '${name}' (${id}) needs keyed state: call keyBy() before window()`);
  return backend;
}

/** An event-time window operator got a record without a timestamp: what to write instead. */
export function missingTimestampError(name: string, id: string): ValidationError {
  return new ValidationError(
    `window operator '${name}' (${id}) got a record without a timestamp: event-time windows need ` +
      'timestamps; assign them with a WatermarkStrategy, e.g. env.fromSource(source, ' +
      'WatermarkStrategy.forBoundedOutOfOrderness(ms).withTimestampAssigner((e) => e.time)), or use a processing-time assigner',
  );
}

/**
 * Timers per key and namespace (Flink's InternalTimerService). Registering the same (key, namespace,
 * timestamp) twice keeps one timer. Event-time timers fire when a watermark passes them, in timestamp
 * order; processing-time timers when the wall clock does. The current key is set on the state backend
 * before the target is called, so the target can use keyed state.
 */
export interface InternalTimerService {
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** For the current key of the state backend. */
  registerEventTimeTimer(namespace: string, timestamp: number): void;
  deleteEventTimeTimer(namespace: string, timestamp: number): void;
  registerProcessingTimeTimer(namespace: string, timestamp: number): void;
  deleteProcessingTimeTimer(namespace: string, timestamp: number): void;
}

export interface TimerTarget {
  onEventTime(key: unknown, namespace: string, timestamp: number): void;
  onProcessingTime(key: unknown, namespace: string, timestamp: number): void;
}

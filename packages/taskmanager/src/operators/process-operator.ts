/**
 * process() on plain and keyed streams. The function gets a context with the record's timestamp, side
 * outputs and, on keyed streams, the current key, keyed state (through its RuntimeContext) and timers
 * that call onTimer().
 */
import type { OnTimerContext, OutputTagLike, ProcessFunction, TimerService } from '@eddy/common';
import type { InternalTimerService, TimerTarget } from '../time/internal-timer-service.js';
import { userRuntimeContext } from './runtime-context.js';
import { UserFunctionOperator, TimestampedCollector } from './stateless-operators.js';
import type { OperatorContext, Output } from './stream-operator.js';

const NO_TIMERS = 'timers are only available on a keyed stream: call keyBy() before process()';

export class ProcessOperator extends UserFunctionOperator implements OnTimerContext {
  subtaskIndex = 0;
  parallelism = 1;
  timeDomain: 'event-time' | 'processing-time' = 'event-time';
  protected currentTimestamp = NaN;
  protected readonly collector: TimestampedCollector;
  protected timers: InternalTimerService | undefined;
  private userTimers: TimerService | undefined;

  constructor(id: string, name: string, out: Output, protected readonly fn: ProcessFunction<unknown, unknown>) {
    super(id, name, out);
    this.collector = new TimestampedCollector(out);
  }

  override open(ctx: OperatorContext): void {
    this.subtaskIndex = ctx.runtime.subtaskIndex;
    this.parallelism = ctx.runtime.parallelism;
    try {
      this.fn.open?.(userRuntimeContext(ctx.runtime, this.id, ctx.stateBackend));
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  processElement(value: unknown, timestamp: number): void {
    this.invoke(this.fn.processElement, value, timestamp);
  }

  /** Runs one user call for one record with this operator as its context. */
  protected invoke(call: ProcessFunction<unknown, unknown>['processElement'], value: unknown, timestamp: number): void {
    this.currentTimestamp = timestamp;
    this.collector.timestamp = timestamp;
    try {
      call.call(this.fn, value, this, this.collector);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
    }
  }

  getCurrentKey(): never {
    throw new Error('getCurrentKey() is only available on a keyed stream: call keyBy() before process()');
  }

  timestamp(): number | undefined {
    return Number.isNaN(this.currentTimestamp) ? undefined : this.currentTimestamp;
  }

  output<T>(tag: OutputTagLike<T>, value: T): void {
    this.out.collectSide(tag.id, value, this.currentTimestamp);
  }

  timerService(): TimerService {
    const t = this.timers;
    if (!t) throw new Error(NO_TIMERS);
    this.userTimers ??= {
      currentWatermark: () => t.currentWatermark(),
      currentProcessingTime: () => t.currentProcessingTime(),
      registerEventTimeTimer: (ts) => t.registerEventTimeTimer('', ts),
      deleteEventTimeTimer: (ts) => t.deleteEventTimeTimer('', ts),
      registerProcessingTimeTimer: (ts) => t.registerProcessingTimeTimer('', ts),
      deleteProcessingTimeTimer: (ts) => t.deleteProcessingTimeTimer('', ts),
    };
    return this.userTimers;
  }

  override finish(): void {
    try {
      this.fn.finish?.(this.collector);
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  override close(): void {
    try {
      this.fn.close?.();
    } catch (e) {
      this.guard.wrap(e);
    }
  }
}

/** process() on a keyed stream: the current key is set per record; timers call onTimer(). */
export class KeyedProcessOperator extends ProcessOperator implements TimerTarget {
  private currentKey: unknown;
  private setKey: (key: unknown) => void = () => undefined;

  constructor(id: string, name: string, out: Output, fn: ProcessFunction<unknown, unknown>, private readonly keySelector: (v: unknown) => unknown) {
    super(id, name, out, fn);
  }

  override open(ctx: OperatorContext): void {
    const backend = ctx.stateBackend;
    if (backend) this.setKey = (k) => backend.setCurrentKey(k);
    this.timers = ctx.createTimerService(this.id, this);
    super.open(ctx);
  }

  override processElement(value: unknown, timestamp: number): void {
    this.invokeKeyed(this.keySelector, this.fn.processElement, value, timestamp);
  }

  protected invokeKeyed(
    keySelector: (v: unknown) => unknown,
    call: ProcessFunction<unknown, unknown>['processElement'],
    value: unknown,
    timestamp: number,
  ): void {
    let key: unknown;
    try {
      key = keySelector(value);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    this.currentKey = key;
    this.setKey(key);
    this.invoke(call, value, timestamp);
  }

  override getCurrentKey(): never {
    return this.currentKey as never;
  }

  override processWatermark(watermark: number): void {
    (this.timers as { advanceWatermark?: (w: number) => void }).advanceWatermark?.(watermark);
    this.out.emitWatermark(watermark);
  }

  onEventTime(key: unknown, _ns: string, timestamp: number): void {
    this.fire(key, timestamp, 'event-time');
  }

  onProcessingTime(key: unknown, _ns: string, timestamp: number): void {
    this.fire(key, timestamp, 'processing-time');
  }

  private fire(key: unknown, timestamp: number, domain: 'event-time' | 'processing-time'): void {
    if (!this.fn.onTimer) return;
    this.currentKey = key;
    this.timeDomain = domain;
    this.currentTimestamp = domain === 'event-time' ? timestamp : NaN;
    this.collector.timestamp = this.currentTimestamp;
    try {
      this.fn.onTimer(timestamp, this, this.collector);
    } catch (e) {
      this.guard.wrap(e);
    }
  }
}

/**
 * WindowOperator (Flink's WindowOperator): runs a keyed stream's windows. Per record it sets the
 * current key, assigns windows (event time: the record's timestamp; processing time: the clock),
 * merges session windows, adds the record to each window's contents and asks the trigger; a FIRE
 * emits the window's result with the timestamp window.maxTimestamp(), a PURGE clears the contents.
 *
 * Lateness (event time): a window is late once maxTimestamp + allowedLateness <= watermark; it is
 * then cleaned up by a timer registered at that time. A record whose every window is late goes to
 * the late-data side output when the spec names one; otherwise it is dropped and counted in
 * `lateRecordsDropped` — never silently.
 *
 * State (stable names, per key): 'window-contents' in namespace `${start}:${end}` of the window (its
 * state window for sessions), 'merging-windows' in namespace '' (sessions only), and the trigger's
 * state as 'trigger-<name>' in the window's namespace. Timers use the window's namespace.
 *
 * Threading: single-threaded, called from the task's mailbox; timers fire from processWatermark (event
 * time) and from the task's processing-time wakeups (HeapTimerService.advanceProcessingTime).
 * Processing-time windows still open at the end of a bounded input do not fire (as in Flink).
 */
import { ValidationError, type ProcessWindowFunction, type TimeWindowLike, type WindowOperatorSpec } from '@eddy/common';
import type { InternalValueState, KeyedStateBackend } from '../../state/keyed-state-backend.js';
import type { TimerTarget } from '../../time/internal-timer-service.js';
import type { OperatorContext, Output } from '../stream-operator.js';
import { MergingWindowSet } from './merging-window-set.js';
import { createWindowContents, type WindowContents, type WindowEmitter } from './window-contents.js';
import { windowNamespace, windowOfNamespace } from './window-namespace.js';
import { keyedStateOf, missingTimestampError } from './window-errors.js';
import { SlicedWindowOperator, canSliceWindows } from './sliced-window-operator.js';
import { WindowOperatorBase } from './window-operator-base.js';
import { WindowTriggerContext } from './window-trigger-context.js';

export const MERGING_WINDOWS_STATE = 'merging-windows';

/** The operator for a window spec: sliced windows where they apply (same results, less state work), else the WindowOperator. */
export function createWindowOperator(
  id: string,
  name: string,
  out: Output,
  spec: WindowOperatorSpec,
  keySelector: (v: unknown) => unknown,
): WindowOperator | SlicedWindowOperator {
  return canSliceWindows(spec) ? new SlicedWindowOperator(id, name, out, spec, keySelector) : new WindowOperator(id, name, out, spec, keySelector);
}

const NOT_REMEMBERED: readonly TimeWindowLike[] = [];

export class WindowOperator extends WindowOperatorBase implements TimerTarget, WindowEmitter {
  private readonly eventTime: boolean;
  private readonly merging: boolean;
  private backend!: KeyedStateBackend;
  private contents!: WindowContents;
  private triggerCtx!: WindowTriggerContext;
  private mergingState: InternalValueState<number[]> | undefined;
  private readonly assignerCtx = { currentProcessingTime: (): number => this.timers.currentProcessingTime() };

  constructor(
    id: string,
    name: string,
    out: Output,
    spec: WindowOperatorSpec,
    keySelector: (v: unknown) => unknown,
  ) {
    super(id, name, out, spec, keySelector);
    this.eventTime = spec.assigner.timeDomain === 'event-time';
    this.merging = spec.assigner.merging;
    if (this.merging && !spec.trigger.canMerge()) {
      throw new ValidationError(`window operator '${name}': ${spec.trigger.describe()} cannot merge the windows of ${spec.assigner.describe()}`);
    }
    if (this.merging && spec.function.kind === 'aggregate' && !spec.function.aggregate.merge) {
      throw new ValidationError(`window operator '${name}': ${spec.assigner.describe()} merges windows, so the AggregateFunction needs merge(a, b)`);
    }
  }

  private lastWindows: readonly TimeWindowLike[] = NOT_REMEMBERED;
  private lastNamespaces: string[] = [];

  override open(ctx: OperatorContext): void {
    const backend = keyedStateOf(ctx.stateBackend, this.name, this.id);
    this.backend = backend;
    this.timers = ctx.createTimerService(this.id, this);
    this.contents = createWindowContents(backend, this.id, this.spec.function);
    this.triggerCtx = new WindowTriggerContext(this.id, backend, this.timers);
    if (this.merging) this.mergingState = backend.getValueState<number[]>(this.id, { kind: 'value', name: MERGING_WINDOWS_STATE });
  }

  processElement(value: unknown, timestamp: number): void {
    if (this.eventTime && !Number.isFinite(timestamp)) throw missingTimestampError(this.name, this.id);
    let key: unknown;
    let windows: readonly TimeWindowLike[];
    const time = this.eventTime ? timestamp : this.timers.currentProcessingTime();
    try {
      key = this.keySelector(value);
      this.backend.setCurrentKey(key);
      windows = this.spec.assigner.assignWindows(value, time, this.assignerCtx);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    let skipped = true;
    try {
      skipped = this.merging ? this.addToMergingWindows(key, value, timestamp, windows) : this.addToWindows(key, value, timestamp, windows);
    } catch (e) {
      this.guard.handle(e, value, timestamp);
      return;
    }
    if (skipped && this.isElementLate(timestamp)) this.late(value, timestamp);
  }

  /** Returns true when every window was late (the record went nowhere). */
  private addToWindows(key: unknown, value: unknown, timestamp: number, windows: readonly TimeWindowLike[]): boolean {
    let skipped = true;
    if (windows !== this.lastWindows) {
      // built-in assigners hand out the same frozen array while records stay in the same windows;
      // only a frozen array is remembered (a mutable one could be refilled by a custom assigner)
      this.lastWindows = Object.isFrozen(windows) ? windows : NOT_REMEMBERED;
      this.lastNamespaces = windows.map(windowNamespace);
    }
    const namespaces = this.lastNamespaces;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (this.isWindowLate(window)) continue;
      skipped = false;
      const ns = namespaces[i]!;
      if (this.contents.add(ns, value)) {
        // the window's first element: its trigger and cleanup timers get registered now
        this.onTriggerResult(this.spec.trigger.onElement(value, timestamp, window, this.triggerCtx.setWindow(window)), key, window, ns);
        this.registerCleanupTimer(window);
      } else if (!this.windowEndTimerQueued(window)) {
        // its cleanup timer is queued (it clears the contents when it fires), the trigger's may not be
        this.onTriggerResult(this.spec.trigger.onElement(value, timestamp, window, this.triggerCtx.setWindow(window)), key, window, ns);
      }
    }
    return skipped;
  }

  /**
   * For a window that already holds elements: true when its trigger only ever registers the window-end
   * timer on elements and that timer cannot have fired yet, so calling onElement() would change nothing.
   */
  private windowEndTimerQueued(window: TimeWindowLike): boolean {
    const domain = this.spec.trigger.onElementRegistersWindowEnd;
    if (domain === undefined || domain !== (this.eventTime ? 'event-time' : 'processing-time')) return false;
    return !this.eventTime || window.maxTimestamp() > this.timers.currentWatermark();
  }

  private addToMergingWindows(key: unknown, value: unknown, timestamp: number, windows: readonly TimeWindowLike[]): boolean {
    const set = MergingWindowSet.load(this.spec.assigner, this.mergingState!);
    let skipped = true;
    try {
      for (const window of windows) {
        const actual = set.addWindow(window, (result, mergedWindows, stateResult, mergedStateWindows) => {
          if (this.isWindowLate(result)) {
            throw new Error(`merging made window ${windowNamespace(result)} end before the watermark ${this.timers.currentWatermark()}`);
          }
          this.triggerCtx.setWindow(result).mergedWindows = mergedWindows;
          this.spec.trigger.onMerge(result, this.triggerCtx);
          this.triggerCtx.mergedWindows = [];
          for (const m of mergedWindows) {
            this.spec.trigger.clear(m, this.triggerCtx.setWindow(m));
            this.deleteCleanupTimer(m);
          }
          this.contents.merge(windowNamespace(stateResult), mergedStateWindows.map(windowNamespace));
        });
        if (this.isWindowLate(actual)) {
          set.retireWindow(actual);
          continue;
        }
        skipped = false;
        const stateNs = windowNamespace(set.getStateWindow(actual)!);
        this.contents.add(stateNs, value);
        this.onTriggerResult(this.spec.trigger.onElement(value, timestamp, actual, this.triggerCtx.setWindow(actual)), key, actual, stateNs);
        this.registerCleanupTimer(actual);
      }
    } finally {
      set.persist();
    }
    return skipped;
  }

  onEventTime(key: unknown, namespace: string, timestamp: number): void {
    this.onTimer(key, namespace, timestamp, true);
  }

  onProcessingTime(key: unknown, namespace: string, timestamp: number): void {
    this.onTimer(key, namespace, timestamp, false);
  }

  private onTimer(key: unknown, namespace: string, timestamp: number, eventTimer: boolean): void {
    try {
      const window = windowOfNamespace(this.spec.assigner, namespace);
      let set: MergingWindowSet | undefined;
      let stateNs = namespace;
      if (this.merging) {
        set = MergingWindowSet.load(this.spec.assigner, this.mergingState!);
        const stateWindow = set.getStateWindow(window);
        if (!stateWindow) return; // merged away or cleaned up: its trigger timers were deleted then
        stateNs = windowNamespace(stateWindow);
      }
      this.triggerCtx.setWindow(window);
      const result = eventTimer
        ? this.spec.trigger.onEventTime(timestamp, window, this.triggerCtx)
        : this.spec.trigger.onProcessingTime(timestamp, window, this.triggerCtx);
      this.onTriggerResult(result, key, window, stateNs);
      if (eventTimer === this.eventTime && timestamp === this.cleanupTime(window)) {
        this.contents.clear(stateNs);
        this.spec.trigger.clear(window, this.triggerCtx.setWindow(window));
        set?.retireWindow(window);
      }
      set?.persist();
    } catch (e) {
      this.guard.wrap(e);
    }
  }

  private onTriggerResult(result: string, key: unknown, window: TimeWindowLike, stateNs: string): void {
    if (result === 'FIRE' || result === 'FIRE_AND_PURGE') {
      this.collector.timestamp = window.maxTimestamp();
      this.contents.emit(stateNs, key, window, this);
    }
    if (result === 'PURGE' || result === 'FIRE_AND_PURGE') this.contents.clear(stateNs);
  }

  /** WindowEmitter: process-window functions get the window's metadata. */
  callProcess(fn: ProcessWindowFunction<unknown, unknown>, key: unknown, window: TimeWindowLike, elements: unknown[]): void {
    const timers = this.timers;
    fn.process(key, { window, currentWatermark: () => timers.currentWatermark(), currentProcessingTime: () => timers.currentProcessingTime() }, elements, this.collector);
  }

  private cleanupTime(window: TimeWindowLike): number {
    return this.eventTime ? window.maxTimestamp() + this.spec.allowedLatenessMs : window.maxTimestamp();
  }

  private registerCleanupTimer(window: TimeWindowLike): void {
    const ns = windowNamespace(window);
    if (this.eventTime) this.timers.registerEventTimeTimer(ns, this.cleanupTime(window));
    else this.timers.registerProcessingTimeTimer(ns, this.cleanupTime(window));
  }

  private deleteCleanupTimer(window: TimeWindowLike): void {
    const ns = windowNamespace(window);
    if (this.eventTime) this.timers.deleteEventTimeTimer(ns, this.cleanupTime(window));
    else this.timers.deleteProcessingTimeTimer(ns, this.cleanupTime(window));
  }

  private isWindowLate(window: TimeWindowLike): boolean {
    return this.eventTime && this.cleanupTime(window) <= this.timers.currentWatermark();
  }

  private isElementLate(timestamp: number): boolean {
    return this.eventTime && timestamp + this.spec.allowedLatenessMs <= this.timers.currentWatermark();
  }
}

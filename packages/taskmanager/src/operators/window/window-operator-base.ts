/**
 * What both window operators (WindowOperator, SlicedWindowOperator) share: the late-record metrics and
 * routing, the user-call guard, the result collector, and firing event-time timers on watermarks.
 */
import type { WindowOperatorSpec } from '@eddy/common';
import type { InternalTimerService } from '../../time/internal-timer-service.js';
import { UserCallGuard } from '../user-call.js';
import { AbstractOperator, type Output } from '../stream-operator.js';
import { WindowResultCollector } from './window-result-collector.js';

export abstract class WindowOperatorBase extends AbstractOperator {
  /** Metric: records too late for every window, dropped because the spec names no late-data output. */
  lateRecordsDropped = 0;
  /** Metric: records sent to the late-data side output. */
  lateRecordsToSideOutput = 0;
  readonly guard: UserCallGuard;
  readonly collector: WindowResultCollector;
  protected timers!: InternalTimerService;

  constructor(
    id: string,
    name: string,
    out: Output,
    protected readonly spec: WindowOperatorSpec,
    protected readonly keySelector: (v: unknown) => unknown,
  ) {
    super(id, name, out);
    this.guard = new UserCallGuard(id, name, out);
    this.collector = new WindowResultCollector(out);
  }

  /** A record too late for every window: to the late-data side output if the spec names one, else counted. */
  protected late(value: unknown, timestamp: number): void {
    if (this.spec.lateDataTag !== undefined) {
      this.lateRecordsToSideOutput++;
      this.out.collectSide(this.spec.lateDataTag, value, timestamp);
    } else {
      this.lateRecordsDropped++;
    }
  }

  override processWatermark(watermark: number): void {
    (this.timers as { advanceWatermark?: (w: number) => void } | undefined)?.advanceWatermark?.(watermark);
    this.out.emitWatermark(watermark);
  }
}

/**
 * The built-in window assigners (Flink's): tumbling, sliding and session windows, in event time (the
 * record's timestamp; needs timestamps and watermarks from a WatermarkStrategy) or processing time (the
 * TaskManager's clock when the record arrives). Sizes and offsets are in milliseconds; windows are
 * aligned to the epoch plus `offset`.
 */
import type { WindowAssigner, WindowTimeDomain, WindowTrigger } from '@eddy/common';
import { TimeWindow } from './time-window.js';
import { EventTimeTrigger, ProcessingTimeTrigger } from './triggers.js';

abstract class TimeWindowAssigner implements WindowAssigner<unknown, TimeWindow> {
  abstract readonly timeDomain: WindowTimeDomain;
  abstract readonly merging: boolean;
  abstract assignWindows(element: unknown, timestamp: number): readonly TimeWindow[];
  abstract describe(): string;
  window(start: number, end: number): TimeWindow {
    return new TimeWindow(start, end);
  }
  defaultTrigger(): WindowTrigger<unknown, TimeWindow> {
    return this.timeDomain === 'event-time' ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
  }
  isEventTime(): boolean {
    return this.timeDomain === 'event-time';
  }
}

abstract class Tumbling extends TimeWindowAssigner {
  readonly merging = false;
  protected constructor(
    readonly size: number,
    readonly offset: number,
  ) {
    super();
    checkPositive('size', size);
    checkFinite('offset', offset);
    if (Math.abs(offset) >= size) throw new TypeError(`a tumbling window's |offset| must be smaller than its size (${size}), got ${offset}`);
  }
  // Consecutive records mostly fall into the same window: hand out the same (frozen) array, so the
  // hot path allocates nothing and the window operator can reuse what it derived from it.
  private lastStart = NaN;
  private lastWindows: readonly TimeWindow[] = [];
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    if (start !== this.lastStart) {
      this.lastStart = start;
      this.lastWindows = Object.freeze([new TimeWindow(start, start + this.size)]);
    }
    return this.lastWindows;
  }
}

abstract class Sliding extends TimeWindowAssigner {
  readonly merging = false;
  protected constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
  ) {
    super();
    checkPositive('size', size);
    checkPositive('slide', slide);
    checkFinite('offset', offset);
    if (Math.abs(offset) >= slide) throw new TypeError(`a sliding window's |offset| must be smaller than its slide (${slide}), got ${offset}`);
    if (size % slide === 0 && size > slide) this.slicing = Object.freeze({ size, slide, offset });
  }
  readonly slicing: { readonly size: number; readonly slide: number; readonly offset: number } | undefined;
  private lastStart = NaN;
  private lastWindows: readonly TimeWindow[] = [];
  /**
   * Every window of `size` starting at a multiple of `slide` (plus offset) that holds the timestamp.
   * When size is a multiple of slide, every timestamp of one slide gets the same windows: the same
   * frozen array is handed out again (no allocation per record).
   */
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    const last = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.slide);
    if (last === this.lastStart) return this.lastWindows;
    const windows: TimeWindow[] = [];
    for (let start = last; start > timestamp - this.size; start -= this.slide) windows.push(new TimeWindow(start, start + this.size));
    if (this.size % this.slide === 0) {
      this.lastStart = last;
      this.lastWindows = Object.freeze(windows);
    }
    return windows;
  }
}

abstract class Sessions extends TimeWindowAssigner {
  readonly merging = true;
  protected constructor(readonly gap: number) {
    super();
    checkPositive('session gap', gap);
  }
  /** `[t, t + gap)`: windows of a key that overlap or touch merge into one session. */
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    return [new TimeWindow(timestamp, timestamp + this.gap)];
  }
}

export class TumblingEventTimeWindows extends Tumbling {
  readonly timeDomain = 'event-time';
  static of(sizeMs: number, offsetMs = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(sizeMs, offsetMs);
  }
  describe(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}

export class TumblingProcessingTimeWindows extends Tumbling {
  readonly timeDomain = 'processing-time';
  static of(sizeMs: number, offsetMs = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(sizeMs, offsetMs);
  }
  describe(): string {
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}

export class SlidingEventTimeWindows extends Sliding {
  readonly timeDomain = 'event-time';
  static of(sizeMs: number, slideMs: number, offsetMs = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(sizeMs, slideMs, offsetMs);
  }
  describe(): string {
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}

export class SlidingProcessingTimeWindows extends Sliding {
  readonly timeDomain = 'processing-time';
  static of(sizeMs: number, slideMs: number, offsetMs = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(sizeMs, slideMs, offsetMs);
  }
  describe(): string {
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide})`;
  }
}

export class EventTimeSessionWindows extends Sessions {
  readonly timeDomain = 'event-time';
  static withGap(gapMs: number): EventTimeSessionWindows {
    return new EventTimeSessionWindows(gapMs);
  }
  describe(): string {
    return `EventTimeSessionWindows(${this.gap})`;
  }
}

export class ProcessingTimeSessionWindows extends Sessions {
  readonly timeDomain = 'processing-time';
  static withGap(gapMs: number): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(gapMs);
  }
  describe(): string {
    return `ProcessingTimeSessionWindows(${this.gap})`;
  }
}

function checkPositive(what: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new TypeError(`window ${what} must be a positive number of milliseconds, got ${v}`);
}

function checkFinite(what: string, v: number): void {
  if (!Number.isFinite(v)) throw new TypeError(`window ${what} must be a finite number of milliseconds, got ${v}`);
}

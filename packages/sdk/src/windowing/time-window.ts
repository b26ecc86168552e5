/**
 * TimeWindow: the window `[start, end)` every built-in assigner produces (Flink's TimeWindow). Its
 * results carry the timestamp maxTimestamp() = end - 1, so a downstream window of the same or a larger
 * size puts them in the window they came from.
 */
import type { TimeWindowLike } from '@eddy/common';

export class TimeWindow implements TimeWindowLike {
  constructor(
    readonly start: number,
    /** Exclusive. */
    readonly end: number,
  ) {}

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** True when the windows overlap or touch (session windows that do are merged). */
  intersects(other: TimeWindowLike): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window that covers both. */
  cover(other: TimeWindowLike): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: TimeWindowLike): boolean {
    return this.start === other.start && this.end === other.end;
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /** Start of the window of `size` (aligned to `offset` from epoch 0) that holds `timestamp`. */
  static getWindowStartWithOffset(timestamp: number, offset: number, size: number): number {
    const r = (timestamp - offset) % size;
    return timestamp - (r < 0 ? r + size : r);
  }
}

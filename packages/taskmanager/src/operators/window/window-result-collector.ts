/** The Collector window functions emit through: every result gets the firing window's maxTimestamp(). */
import type { Collector } from '@eddy/common';
import type { Output } from '../stream-operator.js';

export class WindowResultCollector implements Collector<unknown> {
  timestamp = NaN;
  constructor(private readonly out: Output) {}
  collect(value: unknown): void {
    this.out.collect(value, this.timestamp);
  }
}

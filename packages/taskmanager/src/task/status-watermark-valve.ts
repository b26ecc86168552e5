/**
 * Combines the watermarks of a task's input channels (all gates): the task's watermark is the minimum
 * over channels that are neither idle nor finished, and it only moves forward. When every live channel
 * is idle the task is idle too, and its downstream stops waiting for it.
 */
export class StatusWatermarkValve {
  private readonly watermarks: Float64Array;
  private readonly idle: boolean[];
  private readonly ended: boolean[];
  private combined = -Infinity;
  allIdle = false;

  constructor(numChannels: number) {
    this.watermarks = new Float64Array(numChannels).fill(-Infinity);
    this.idle = new Array<boolean>(numChannels).fill(false);
    this.ended = new Array<boolean>(numChannels).fill(false);
  }

  get watermark(): number {
    return this.combined;
  }

  /** Returns the new combined watermark when it advanced, else undefined. */
  onWatermark(channel: number, watermark: number): number | undefined {
    if (watermark > this.watermarks[channel]!) this.watermarks[channel] = watermark;
    this.idle[channel] = false;
    return this.recompute();
  }

  onStatus(channel: number, idle: boolean): number | undefined {
    this.idle[channel] = idle;
    return this.recompute();
  }

  onEnd(channel: number): number | undefined {
    this.ended[channel] = true;
    return this.recompute();
  }

  private recompute(): number | undefined {
    let min = Infinity;
    let live = 0;
    let active = 0;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.ended[i]) continue;
      live++;
      if (this.idle[i]) continue;
      active++;
      if (this.watermarks[i]! < min) min = this.watermarks[i]!;
    }
    this.allIdle = live > 0 && active === 0;
    if (active === 0 && live > 0) return undefined;
    if (min > this.combined) {
      this.combined = min;
      return min;
    }
    return undefined;
  }
}

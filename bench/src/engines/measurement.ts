/** What one engine run measured. */
export interface ProcessUsage {
  name: string;
  cpuSeconds: number;
  peakRssMiB: number;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface Measurement {
  engine: 'eddy' | 'flink' | 'limit';
  query: string;
  events: number;
  parallelism: number;
  outputs: number;
  /** First event emitted to last record at the sink (as close as the engine lets us see). */
  wallSeconds: number;
  eventsPerSec: number;
  /** All processes of the engine together. */
  cpuSeconds: number;
  eventsPerCoreSecond: number;
  processes: ProcessUsage[];
  latencyMs: Latency | null;
  checkpoints: { completed: number; avgDurationMs: number } | null;
  /** With --repeat: events/s of every run, in run order (this measurement is the median one). */
  runsEventsPerSec?: number[];
}

export interface RunOptions {
  query: string;
  events: number;
  parallelism: number;
  seed: number;
  checkpointMs: number;
  /** Eddy's keyed state backend (Flink runs its default heap HashMapStateBackend). */
  stateBackend: 'heap' | 'leveldb';
  /** Throttle to this many events/s of wall time (latency runs). */
  rate?: number;
  /** Write outputs here (cross-checks). */
  outputDir?: string;
  onProgress?: (fraction: number | undefined, label: string) => void;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

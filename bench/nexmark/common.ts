// Shared by the Nexmark jobs: argument parsing, the source and the sink.
// Every job takes args [events, outputDir?, ratePerSecond?, seed?, eventRate?, latencyDir?, startAt?, stateBackend?, countDir?];
// pass '' or '-' to skip one. outputDir: write outputs as JSON lines (FileSink, one part file per
// subtask), else a DiscardingSink. ratePerSecond: wall-clock throttle of the generator across all
// subtasks. eventRate: the generator's event-time rate (events per second of event time, default
// 100,000). latencyDir + startAt: the throttled generator starts at wall time startAt, and a
// LatencySink writes latency samples to latencyDir instead of the outputs going anywhere. countDir:
// the sink counts the records it receives into countDir (CountingSink), the job's number of outputs.
import {
  DiscardingSink,
  FileSink,
  NexmarkSource,
  nexmarkWatermarks,
  type DataStream,
  type NexmarkEvent,
  type Sink,
  type StreamExecutionEnvironment,
} from '@eddy/sdk';
import { CountingSink } from '../src/counting-sink.js';
import { LatencySink } from '../src/latency-sink.js';

export interface NexmarkArgs {
  readonly events: number;
  readonly outputDir: string | undefined;
  readonly ratePerSecond: number | undefined;
  readonly seed: number | undefined;
  readonly eventRate: number | undefined;
  readonly latencyDir: string | undefined;
  readonly startAt: number | undefined;
  readonly stateBackend: 'heap' | 'leveldb';
  readonly countDir: string | undefined;
}

function opt(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '-' ? undefined : v;
}

function optNumber(v: string | undefined, name: string): number | undefined {
  const s = opt(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(/_/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new TypeError(`nexmark: ${name} must be a non-negative number, got '${s}'`);
  return n === 0 && name === 'ratePerSecond' ? undefined : n;
}

export function nexmarkArgs(args: readonly string[]): NexmarkArgs {
  return {
    events: optNumber(args[0], 'events') ?? 1_000_000,
    outputDir: opt(args[1]),
    ratePerSecond: optNumber(args[2], 'ratePerSecond'),
    seed: optNumber(args[3], 'seed'),
    eventRate: optNumber(args[4], 'eventRate'),
    latencyDir: opt(args[5]),
    startAt: optNumber(args[6], 'startAt'),
    stateBackend: opt(args[7]) === 'heap' ? 'heap' : 'leveldb',
    countDir: opt(args[8]),
  };
}

/** The Nexmark event stream with timestamps = dateTime and monotonous watermarks per split. */
export function nexmarkEvents(env: StreamExecutionEnvironment, a: NexmarkArgs): DataStream<NexmarkEvent> {
  env.setStateBackend(a.stateBackend);
  const source = new NexmarkSource({
    events: a.events,
    ...(a.seed !== undefined ? { seed: a.seed } : {}),
    ...(a.eventRate !== undefined ? { rate: a.eventRate } : {}),
    ...(a.ratePerSecond !== undefined ? { ratePerSecond: a.ratePerSecond } : {}),
    ...(a.startAt !== undefined ? { startAt: a.startAt } : {}),
  });
  return env.fromSource(source, nexmarkWatermarks(), 'Nexmark');
}

/** The event time an output depends on, for latency (docs/nexmark-queries.md). */
function latencyTime(record: unknown): number | undefined {
  const r = record as { windowEnd?: number; windowStart?: number; dateTime?: number };
  if (r.windowEnd !== undefined) return r.windowEnd;
  if (r.windowStart !== undefined) return r.windowStart + 10_000;
  return r.dateTime;
}

/**
 * Outputs to JSON-lines part files in outputDir, latency samples to latencyDir, or a DiscardingSink;
 * counted by the sink when countDir is given.
 */
export function sinkOutputs<T>(stream: DataStream<T>, a: NexmarkArgs): void {
  let sink: Sink<T>;
  if (a.latencyDir !== undefined && a.ratePerSecond !== undefined && a.startAt !== undefined) {
    sink = new LatencySink<T>({ dir: a.latencyDir, startAt: a.startAt, rate: a.ratePerSecond, eventTimeRate: a.eventRate ?? 100_000, timeOf: latencyTime });
  } else if (a.outputDir !== undefined) sink = FileSink.forPath<T>(a.outputDir);
  else sink = new DiscardingSink<T>();
  stream.sinkTo(a.countDir === undefined ? sink : new CountingSink(sink, a.countDir)).name('Outputs');
}

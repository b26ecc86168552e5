/**
 * The job-module contract between the SDK (which builds a plan from the user's code) and the runtime
 * (JobManager and TaskManagers, which rebuild the same plan from the same artifact and pick operators
 * by id). Functions are never serialized: every process re-creates them by running the job function.
 */
import type { Sink, Source } from './connector-api.js';

export type PartitionerName = 'forward' | 'rebalance' | 'hash' | 'broadcast' | 'rescale';
export const PARTITIONERS: readonly PartitionerName[] = ['forward', 'rebalance', 'hash', 'broadcast', 'rescale'];

export interface Collector<T> {
  collect(value: T): void;
}

/** What a process function sees besides the record. */
export interface ProcessContext<K = unknown> {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** The key of the current record on a keyed stream; an error elsewhere. */
  getCurrentKey(): K;
}

export interface RuntimeContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly jobId: string;
  readonly operatorId: string;
}

export interface ProcessFunction<I, O, K = unknown> {
  open?(ctx: RuntimeContext): void;
  processElement(value: I, ctx: ProcessContext<K>, out: Collector<O>): void;
  /** Called at end of input (bounded streams) before the task finishes. */
  finish?(out: Collector<O>): void;
  close?(): void;
}

export type OperatorSpec =
  | { readonly kind: 'source'; readonly source: Source<unknown, unknown> }
  | { readonly kind: 'map'; readonly fn: (value: unknown) => unknown }
  | { readonly kind: 'filter'; readonly fn: (value: unknown) => boolean }
  | { readonly kind: 'flat-map'; readonly fn: (value: unknown, out: Collector<unknown>) => void }
  | { readonly kind: 'process'; readonly fn: ProcessFunction<unknown, unknown> }
  | { readonly kind: 'keyed-process'; readonly fn: ProcessFunction<unknown, unknown> }
  | { readonly kind: 'reduce'; readonly fn: (acc: unknown, value: unknown) => unknown }
  | { readonly kind: 'sink'; readonly sink: Sink<unknown> };

export type OperatorKind = OperatorSpec['kind'];

/** Operators that read a keyed stream: their input edge must partition by key. */
export const KEYED_KINDS: ReadonlySet<OperatorKind> = new Set<OperatorKind>(['keyed-process', 'reduce']);

export interface PlanEdge {
  readonly source: string; // operator id
  readonly target: string; // operator id
  readonly partitioner: PartitionerName;
  /** Present on hash edges: extracts the key from a record. */
  readonly keySelector?: (value: unknown) => unknown;
  readonly inputIndex: number;
}

export interface PlanNode {
  readonly id: string;
  readonly name: string;
  readonly uid: boolean; // id chosen by the user
  readonly parallelism: number;
  readonly spec: OperatorSpec;
  readonly chaining: boolean;
}

export interface JobConfig {
  /** Target size of a network buffer, in bytes. @default 32768 */
  bufferSizeBytes: number;
  /** Longest time a record waits in a partly filled buffer, in ms. @default 100 */
  bufferTimeoutMs: number;
  /** Buffers a receiver grants per input channel. @default 4 */
  creditsPerChannel: number;
  /** Encoded buffers a sender queues per output channel before it stops producing. @default 4 */
  maxQueuedBuffersPerChannel: number;
}

export const DEFAULT_JOB_CONFIG: JobConfig = {
  bufferSizeBytes: 32 * 1024,
  bufferTimeoutMs: 100,
  creditsPerChannel: 4,
  maxQueuedBuffersPerChannel: 4,
};

export interface JobPlan {
  readonly name: string;
  readonly defaultParallelism: number;
  readonly maxParallelism: number;
  readonly nodes: readonly PlanNode[];
  readonly edges: readonly PlanEdge[];
  readonly config: JobConfig;
}

export interface PlanOptions {
  readonly defaultParallelism: number;
  /** Used when the job does not name itself. */
  readonly defaultJobName?: string;
}

/** The default export of a job module. */
export interface JobModule {
  readonly __eddyJob: 1;
  plan(args: readonly string[], options: PlanOptions): JobPlan;
}

export function isJobModule(v: unknown): v is JobModule {
  return typeof v === 'object' && v !== null && (v as { __eddyJob?: unknown }).__eddyJob === 1 &&
    typeof (v as { plan?: unknown }).plan === 'function';
}

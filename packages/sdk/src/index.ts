/**
 * @eddy/sdk — write streaming jobs in TypeScript.
 *
 * ```ts
 * import { defineJob, FileSource, FileSink } from '@eddy/sdk';
 *
 * export default defineJob((env, args) => {
 *   env.fromSource(FileSource.forPath(args[0] ?? 'words.txt'))
 *     .flatMap((line: string) => line.toLowerCase().split(/\W+/).filter(Boolean))
 *     .map((word) => ({ word, count: 1 }))
 *     .keyBy((r) => r.word)
 *     .reduce((a, b) => ({ word: a.word, count: a.count + b.count }))
 *     .sinkTo(FileSink.forPath('out/wordcount'));
 * });
 * ```
 * Run it with `eddy local job.ts -p 2`. The client (bundling, submission) is in `@eddy/sdk/client`.
 */
export { defineJob, type JobFunction } from './define-job.js';
export { StreamExecutionEnvironment } from './environment.js';
export { DataStream, SingleOutputStreamOperator, KeyedStream, DataStreamSink, ConnectedStreams, IntervalJoin } from './datastream.js';
export { ValueStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, AggregatingStateDescriptor, type StateOptions } from './state.js';
export { WatermarkStrategy } from './watermarks.js';
export { JoinedStreams, WindowJoin, type JoinFunction, type CoGroupFunction } from './joined-streams.js';
export { OutputTag, DEAD_LETTERS } from './output-tag.js';
export type {
  MapFunction,
  FilterFunction,
  FlatMapFunction,
  ReduceFunction,
  KeySelector,
  ProcessElementFn,
  KeyedProcessFunction,
  Collector,
  ProcessContext,
  ProcessFunction,
  RuntimeContext,
} from './functions.js';
export { FileSource, type FileSplit, type LineFormat, type FileSourceOptions, type FileEnumeratorState } from './connectors/file-source.js';
export { FileSink, FILE_SINK_MARKER, type FileCommittable } from './connectors/file-sink.js';
export { PrintSink, DiscardingSink } from './connectors/print-sink.js';
export { CollectionSource } from './connectors/collection-source.js';
export { GeneratorSource, type GeneratorOptions } from './connectors/generator-source.js';
export type { StrideSplit, StrideEnumeratorState } from './connectors/stride-split.js';
export { SourceRestoreError, CommitError } from './errors.js';
export { END_OF_INPUT } from '@eddy/common';
export type {
  Source,
  SourceReader,
  SourceOutput,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
  SplitAssignment,
  ReaderStatus,
  Boundedness,
  Sink,
  SinkWriter,
  SinkContext,
  SinkWriterRecoveredState,
  Committer,
  JobConfig,
  CheckpointingMode,
  CheckpointingOptions,
  CheckpointConfig,
  RestartStrategyOptions,
  RestartStrategyConfig,
  JobModule,
  ValueState,
  ListState,
  MapState,
  ReducingState,
  AggregatingState,
  StateCodec,
  StateTtlConfig,
  TimerService,
  OnTimerContext,
  CoProcessFunction,
  ProcessJoinFunction,
  DeadLetter,
  WatermarkGenerator,
  WatermarkOutput,
  TimestampAssigner,
} from '@eddy/common';
export { TimeWindow } from './windowing/time-window.js';
export {
  TumblingEventTimeWindows,
  SlidingEventTimeWindows,
  EventTimeSessionWindows,
  TumblingProcessingTimeWindows,
  SlidingProcessingTimeWindows,
  ProcessingTimeSessionWindows,
} from './windowing/window-assigners.js';
export {
  EventTimeTrigger,
  ProcessingTimeTrigger,
  CountTrigger,
  PurgingTrigger,
  TriggerResult,
  type Trigger,
  type TriggerContext,
  type OnMergeContext,
} from './windowing/triggers.js';
export { WindowedStream, type ProcessWindowFunction, type ProcessWindowContext, type ProcessWindowFn } from './windowing/windowed-stream.js';
export type { AggregateFunction, WindowAssigner, WindowAssignerContext, WindowOperatorSpec } from '@eddy/common';
export {
  generateEvent,
  generateEvents,
  nexmarkConfig,
  canonicalJson,
  eventTimestamp,
  eventKind,
  DEFAULT_NEXMARK_CONFIG,
  Person,
  Auction,
  Bid,
  type NexmarkConfig,
  type NexmarkEvent,
} from './connectors/nexmark/index.js';
export {
  NexmarkSource,
  nexmarkWatermarks,
  nexmarkDateTime,
  nexmarkBids,
  nexmarkAuctions,
  nexmarkPersons,
  kindOfEventId,
  instanceEventCount,
  type NexmarkSourceOptions,
} from './connectors/nexmark/index.js';

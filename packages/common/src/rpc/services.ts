/** The gRPC services of proto/eddy/v1, bound to the generated static message classes. */
import { eddy } from '@eddy/proto';

const v1 = eddy.v1;

export interface MessageCodec<I, O> {
  encode(message: I): { finish(): Uint8Array };
  decode(bytes: Uint8Array): O;
}

/** A unary method: one request, one response. */
export interface MethodSpec<I, O, RI, RO> {
  readonly req: MessageCodec<I, O>;
  readonly res: MessageCodec<RI, RO>;
  readonly responseStream?: false;
}

/** A server-streaming method: one request, then responses until either side ends the stream. */
export interface StreamMethodSpec<I, O, RI, RO> {
  readonly req: MessageCodec<I, O>;
  readonly res: MessageCodec<RI, RO>;
  readonly responseStream: true;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMethod = MethodSpec<any, any, any, any> | StreamMethodSpec<any, any, any, any>;

export interface ServiceSpec<M extends Record<string, AnyMethod>> {
  readonly name: string;
  readonly methods: M;
}

const m = <I, O, RI, RO>(req: MessageCodec<I, O>, res: MessageCodec<RI, RO>): MethodSpec<I, O, RI, RO> => ({ req, res });
const stream = <I, O, RI, RO>(req: MessageCodec<I, O>, res: MessageCodec<RI, RO>): StreamMethodSpec<I, O, RI, RO> => ({ req, res, responseStream: true });

export const DispatcherService = {
  name: 'eddy.v1.Dispatcher',
  methods: {
    SubmitJob: m(v1.SubmitJobRequest, v1.SubmitJobResponse),
    ListJobs: m(v1.ListJobsRequest, v1.ListJobsResponse),
    GetJobStatus: m(v1.JobIdRequest, v1.JobStatus),
    CancelJob: m(v1.JobIdRequest, v1.CancelJobResponse),
    GetClusterOverview: m(v1.ClusterOverviewRequest, v1.ClusterOverview),
  },
} as const;

export const JobMasterService = {
  name: 'eddy.v1.JobMaster',
  methods: {
    RegisterTaskManager: m(v1.RegisterTaskManagerRequest, v1.RegisterTaskManagerResponse),
    Connect: stream(v1.ConnectRequest, v1.ConnectEvent),
    Heartbeat: m(v1.HeartbeatRequest, v1.HeartbeatResponse),
    UpdateTaskExecutionState: m(v1.TaskExecutionState, v1.Ack),
    AcknowledgeCheckpoint: m(v1.AcknowledgeCheckpointRequest, v1.Ack),
    DeclineCheckpoint: m(v1.DeclineCheckpointRequest, v1.Ack),
    RequestSplit: m(v1.SplitRequest, v1.SplitResponse),
    GetArtifact: m(v1.ArtifactRequest, v1.ArtifactResponse),
  },
} as const;

export const TaskExecutorService = {
  name: 'eddy.v1.TaskExecutor',
  methods: {
    SubmitTask: m(v1.TaskDeploymentDescriptor, v1.Ack),
    CancelTask: m(v1.CancelTaskRequest, v1.Ack),
    TriggerCheckpoint: m(v1.TriggerCheckpointRequest, v1.Ack),
    NotifyCheckpointComplete: m(v1.CheckpointNotification, v1.Ack),
    NotifyCheckpointAborted: m(v1.CheckpointNotification, v1.Ack),
  },
} as const;

export type RequestOf<T> = T extends MethodSpec<infer I, infer _O, infer _RI, infer _RO> | StreamMethodSpec<infer I, infer _O, infer _RI, infer _RO> ? I : never;
export type DecodedRequestOf<T> = T extends MethodSpec<infer _I, infer O, infer _RI, infer _RO> | StreamMethodSpec<infer _I, infer O, infer _RI, infer _RO> ? O : never;
export type ResponseOf<T> = T extends MethodSpec<infer _I, infer _O, infer RI, infer _RO> | StreamMethodSpec<infer _I, infer _O, infer RI, infer _RO> ? RI : never;
export type DecodedResponseOf<T> = T extends MethodSpec<infer _I, infer _O, infer _RI, infer RO> | StreamMethodSpec<infer _I, infer _O, infer _RI, infer RO> ? RO : never;

/** The server's end of a response stream. */
export interface ServerStream<T> {
  send(message: T): void;
  /** Ends the stream with status OK; the client sees its end without an error. */
  end(): void;
  /** True once the stream has ended, by either side. */
  readonly closed: boolean;
  /** `listener` runs once when the stream ends: the client canceled, its connection broke, or end(). */
  onClose(listener: () => void): void;
}

/** The client's end of a response stream. */
export interface ClientStream<T> {
  onMessage(listener: (message: T) => void): void;
  /**
   * `listener` runs once when the stream ends: without an error when the server ended it, else with
   * the error (UnavailableError when the connection broke or the first message missed its deadline).
   * Not called after cancel().
   */
  onEnd(listener: (error: Error | undefined) => void): void;
  cancel(): void;
}

type IsStream<S> = S extends { readonly responseStream: true } ? true : false;

/** What a server implements: an async handler per unary method, and a stream handler per streaming one. */
export type ServiceHandlers<M extends Record<string, AnyMethod>> = {
  [K in keyof M]: IsStream<M[K]> extends true
    ? (request: DecodedRequestOf<M[K]>, stream: ServerStream<ResponseOf<M[K]>>) => void
    : (request: DecodedRequestOf<M[K]>) => Promise<ResponseOf<M[K]>>;
};

/**
 * What a client calls. A stream's `deadlineMs` bounds the wait for its first message: a stream is
 * meant to stay open, so what must not hang is its opening.
 */
export type ServiceClient<M extends Record<string, AnyMethod>> = {
  [K in keyof M]: IsStream<M[K]> extends true
    ? (request: RequestOf<M[K]>, options?: { deadlineMs?: number }) => ClientStream<DecodedResponseOf<M[K]>>
    : (request: RequestOf<M[K]>, options?: { deadlineMs?: number }) => Promise<DecodedResponseOf<M[K]>>;
};

export { eddy };

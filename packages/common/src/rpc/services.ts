/** The gRPC services of proto/eddy/v1, bound to the generated static message classes. */
import { eddy } from '@eddy/proto';

const v1 = eddy.v1;

export interface MessageCodec<I, O> {
  encode(message: I): { finish(): Uint8Array };
  decode(bytes: Uint8Array): O;
}

export interface MethodSpec<I, O, RI, RO> {
  readonly req: MessageCodec<I, O>;
  readonly res: MessageCodec<RI, RO>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMethod = MethodSpec<any, any, any, any>;

export interface ServiceSpec<M extends Record<string, AnyMethod>> {
  readonly name: string;
  readonly methods: M;
}

const m = <I, O, RI, RO>(req: MessageCodec<I, O>, res: MessageCodec<RI, RO>): MethodSpec<I, O, RI, RO> => ({ req, res });

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
    Heartbeat: m(v1.HeartbeatRequest, v1.HeartbeatResponse),
    UpdateTaskExecutionState: m(v1.TaskExecutionState, v1.Ack),
    RequestSplit: m(v1.SplitRequest, v1.SplitResponse),
    GetArtifact: m(v1.ArtifactRequest, v1.ArtifactResponse),
  },
} as const;

export const TaskExecutorService = {
  name: 'eddy.v1.TaskExecutor',
  methods: {
    SubmitTask: m(v1.TaskDeploymentDescriptor, v1.Ack),
    CancelTask: m(v1.CancelTaskRequest, v1.Ack),
  },
} as const;

export type RequestOf<T> = T extends MethodSpec<infer I, infer _O, infer _RI, infer _RO> ? I : never;
export type DecodedRequestOf<T> = T extends MethodSpec<infer _I, infer O, infer _RI, infer _RO> ? O : never;
export type ResponseOf<T> = T extends MethodSpec<infer _I, infer _O, infer RI, infer _RO> ? RI : never;
export type DecodedResponseOf<T> = T extends MethodSpec<infer _I, infer _O, infer _RI, infer RO> ? RO : never;

/** What a server implements: one async handler per method, given the decoded request. */
export type ServiceHandlers<M extends Record<string, AnyMethod>> = {
  [K in keyof M]: (request: DecodedRequestOf<M[K]>) => Promise<ResponseOf<M[K]>>;
};

/** What a client calls. */
export type ServiceClient<M extends Record<string, AnyMethod>> = {
  [K in keyof M]: (request: RequestOf<M[K]>, options?: { deadlineMs?: number }) => Promise<DecodedResponseOf<M[K]>>;
};

export { eddy };

/** The client of a running cluster: submit, list, status, cancel, and wait with progress. */
import {
  buildJobGraph,
  createClient,
  DispatcherService,
  isTerminalJobState,
  validateJobGraph,
  type ClosableClient,
  type eddy,
  type JobGraph,
  type JobPlan,
} from '@eddy/common';
import { bundleJob } from './bundle.js';
import { jobGraphToProto } from './job-graph-proto.js';
import { loadJobModule } from './load-job.js';
import { refuseUnbuiltRecovery } from './recovery-availability.js';
import { toJobStatusView, toJobSummaryView, type JobStatusView, type JobSummaryView } from './job-status-view.js';

export interface EddyClientOptions {
  /** host:port of the JobManager. @default 127.0.0.1:6123 */
  jobManager?: string;
  token?: string;
}

export interface PreparedJob {
  artifact: Uint8Array;
  plan: JobPlan;
  graph: JobGraph;
  args: string[];
}

export class EddyClient {
  private readonly rpc: ClosableClient<typeof DispatcherService.methods>;
  readonly address: string;

  constructor(options: EddyClientOptions = {}) {
    this.address = options.jobManager ?? '127.0.0.1:6123';
    this.rpc = createClient(DispatcherService, this.address, { token: options.token });
  }

  /** Bundles the job file, builds its plan and graph, and validates the graph locally. */
  static async prepare(entry: string, args: string[], parallelism: number, defaultJobName: string): Promise<PreparedJob> {
    const artifact = await bundleJob(entry);
    const mod = await loadJobModule(artifact);
    const plan = mod.plan(args, { defaultParallelism: parallelism, defaultJobName });
    refuseUnbuiltRecovery(plan);
    const graph = buildJobGraph(plan);
    validateJobGraph(graph);
    return { artifact, plan, graph, args };
  }

  /**
   * Submits the job; it runs as soon as the cluster has the slots it needs. `slotWaitTimeoutMs`: how
   * long it may wait for them before it fails (default: the JobManager's).
   */
  async submit(job: PreparedJob, options: { slotWaitTimeoutMs?: number } = {}): Promise<string> {
    const res = await this.rpc.api.SubmitJob(
      { artifact: job.artifact, jobGraph: jobGraphToProto(job.graph), args: job.args, slotWaitTimeoutMs: options.slotWaitTimeoutMs ?? 0 },
      { deadlineMs: 60_000 },
    );
    return res.jobId;
  }

  async list(): Promise<JobSummaryView[]> {
    return (await this.rpc.api.ListJobs({})).jobs.map(toJobSummaryView);
  }

  async status(jobId: string): Promise<JobStatusView> {
    return toJobStatusView(await this.rpc.api.GetJobStatus({ jobId }));
  }

  /** Returns the job's state after the request (CANCELING, or its terminal state). */
  async cancel(jobId: string): Promise<string> {
    return (await this.rpc.api.CancelJob({ jobId })).state;
  }

  overview(): Promise<eddy.v1.ClusterOverview> {
    return this.rpc.api.GetClusterOverview({});
  }

  /** Polls the job until it ends, calling `onProgress` with each status. */
  async waitForTermination(jobId: string, onProgress?: (s: JobStatusView) => void, pollMs = 500): Promise<JobStatusView> {
    for (;;) {
      const s = await this.status(jobId);
      onProgress?.(s);
      if (isTerminalJobState(s.state)) return s;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  close(): void {
    this.rpc.close();
  }
}

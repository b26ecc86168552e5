/**
 * @eddy/sdk/client — bundle, submit and manage jobs on a running Eddy cluster.
 *
 * ```ts
 * const job = await EddyClient.prepare('job.ts', [], 2, 'my-job');
 * const client = new EddyClient({ jobManager: '127.0.0.1:6123' });
 * const id = await client.submit(job);
 * const final = await client.waitForTermination(id);
 * ```
 */
export { EddyClient, type EddyClientOptions, type PreparedJob } from './eddy-client.js';
export { bundleJob } from './bundle.js';
export { loadJobModule } from './load-job.js';
export { jobGraphToProto } from './job-graph-proto.js';
export * from './job-status-view.js';
export type { CheckpointView, CheckpointsView } from './checkpoints-view.js';

/**
 * @eddy/jobmanager — the coordinator process of an Eddy cluster: accepts jobs (Dispatcher), keeps the
 * registry of TaskManagers and their slots (ResourceManager), deploys each job's subtasks and follows
 * their lifecycle (JobMaster), and runs the sources' split enumerators.
 *
 * @example
 * ```ts
 * import { JobManager } from '@eddy/jobmanager';
 *
 * const jm = await JobManager.start({ port: 6123, dataDir: '.eddy/jobmanager', metricsPort: 9249 });
 * process.once('SIGTERM', () => void jm.close());
 * ```
 */
export { JobManager } from './job-manager.js';
export { compileJobManagerOptions, type CompiledJobManagerOptions, type JobManagerOptions } from './job-manager-options.js';

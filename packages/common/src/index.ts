/**
 * @eddy/common — the vocabulary every Eddy process shares: ids, errors, logging, key groups, the
 * job-module contract, the job graph and its validation, lifecycles, and the typed gRPC binding.
 * Nothing here runs a job.
 */
export * from './ids.js';
export * from './errors.js';
export * from './logger.js';
export * from './key-groups.js';
export * from './connector-api.js';
export * from './state-api.js';
export * from './watermark-api.js';
export * from './window-api.js';
export * from './job-plan.js';
export * from './checkpoint-config.js';
export * from './restart-strategy.js';
export * from './parse-job-config.js';
export * from './checkpoint-support.js';
export * from './job-graph.js';
export * from './lifecycle.js';
export * from './rpc/services.js';
export * from './rpc/server.js';
export * from './rpc/client.js';
export * from './atomic-file.js';
export { routeGrpcLogs } from './rpc/grpc-logging.js';
export { failureFields, type FailureFields } from './rpc/failure-fields.js';
export * from './job-artifact.js';

/**
 * grpc-js writes its own log lines ("E No address added out of total 1 resolved", ...) to stderr with
 * console.error. In Eddy every failure it reports also reaches the caller as an error, which the
 * process reports in its own words, so grpc-js's lines go to the injected logger at debug level
 * instead: out of the terminal by default, there with EDDY_LOG_LEVEL=debug. How much grpc-js says is
 * still its own GRPC_VERBOSITY (default ERROR) and GRPC_TRACE.
 */
import * as grpc from '@grpc/grpc-js';
import { format } from 'node:util';
import type { Logger } from '../logger.js';

export function routeGrpcLogs(logger: Logger): void {
  const log = (message: unknown, ...rest: unknown[]): void => logger.debug('grpc', { text: format(message, ...rest) });
  grpc.setLogger({ error: log, info: log, debug: log });
}

/**
 * Binds ServiceHandlers to a grpc-js server. Every call: checks the bearer token when one is configured,
 * maps thrown EddyErrors to gRPC status codes, and never lets a handler's failure escape the process.
 */
import * as grpc from '@grpc/grpc-js';
import { errorMessage, isErrorNamed } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AnyMethod, ServiceHandlers, ServiceSpec } from './services.js';

export interface RpcServerOptions {
  /** When set, every call must carry `authorization: Bearer <token>`. */
  token?: string;
  logger: Logger;
}

export function statusForError(e: unknown): grpc.status {
  if (isErrorNamed(e, 'ValidationError')) return grpc.status.INVALID_ARGUMENT;
  if (isErrorNamed(e, 'NotFoundError')) return grpc.status.NOT_FOUND;
  if (isErrorNamed(e, 'UnauthenticatedError')) return grpc.status.UNAUTHENTICATED;
  if (isErrorNamed(e, 'IllegalStateError')) return grpc.status.FAILED_PRECONDITION;
  if (isErrorNamed(e, 'UnavailableError')) return grpc.status.UNAVAILABLE;
  return grpc.status.INTERNAL;
}

export function addService<M extends Record<string, AnyMethod>>(
  server: grpc.Server,
  spec: ServiceSpec<M>,
  handlers: ServiceHandlers<M>,
  options: RpcServerOptions,
): void {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [method, codec] of Object.entries(spec.methods)) {
    definition[method] = {
      path: `/${spec.name}/${method}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: unknown) => Buffer.from(codec.req.encode(v).finish()),
      requestDeserialize: (b: Buffer) => codec.req.decode(b),
      responseSerialize: (v: unknown) => Buffer.from(codec.res.encode(v).finish()),
      responseDeserialize: (b: Buffer) => codec.res.decode(b),
    };
    const handler = handlers[method as keyof M] as (req: unknown) => Promise<unknown>;
    impl[method] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      if (options.token !== undefined) {
        const got = call.metadata.get('authorization')[0];
        if (got !== `Bearer ${options.token}`) {
          callback({ code: grpc.status.UNAUTHENTICATED, details: 'missing or wrong token: pass --token or set EDDY_TOKEN' });
          return;
        }
      }
      let result: Promise<unknown>;
      try {
        result = handler(call.request);
      } catch (e) {
        result = Promise.reject(e);
      }
      result.then(
        (res) => callback(null, res),
        (e: unknown) => {
          const code = statusForError(e);
          if (code === grpc.status.INTERNAL) options.logger.error('rpc handler failed', { method, error: errorMessage(e) });
          callback({ code, details: errorMessage(e) });
        },
      );
    };
  }
  server.addService(definition as grpc.ServiceDefinition, impl);
}

/** Binds `host:port` (port 0 picks a free one) and resolves with the bound port. */
export function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(new Error(`cannot listen on ${host}:${port}: ${bindFailure(err)}`));
      else resolve(bound);
    });
  });
}

/**
 * grpc-js wraps the socket error in a summary ("No address added out of total 1 resolved errors:
 * [listen EADDRINUSE: address already in use 127.0.0.1:6123]"); the socket's own words say it better.
 */
function bindFailure(err: Error): string {
  const socket = /listen E[A-Z]+: ([^\]]+?)(?: \S+:\d+)?\]/.exec(err.message);
  return socket ? socket[1]! : err.message;
}

export function createServer(): grpc.Server {
  return new grpc.Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024, 'grpc.max_send_message_length': 256 * 1024 * 1024 });
}

export function shutdownServer(server: grpc.Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Binds ServiceHandlers to a grpc-js server. Every call: checks the bearer token when one is configured,
 * maps thrown EddyErrors to gRPC status codes, and never lets a handler's failure escape the process.
 */
import * as grpc from '@grpc/grpc-js';
import { errorMessage, isErrorNamed } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AnyMethod, ServerStream, ServiceHandlers, ServiceSpec } from './services.js';

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
    const responseStream = codec.responseStream === true;
    definition[method] = {
      path: `/${spec.name}/${method}`,
      requestStream: false,
      responseStream,
      requestSerialize: (v: unknown) => Buffer.from(codec.req.encode(v).finish()),
      requestDeserialize: (b: Buffer) => codec.req.decode(b),
      responseSerialize: (v: unknown) => Buffer.from(codec.res.encode(v).finish()),
      responseDeserialize: (b: Buffer) => codec.res.decode(b),
    };
    const handler = handlers[method as keyof M] as unknown;
    impl[method] = responseStream
      ? streamImpl(method, handler as (req: unknown, stream: ServerStream<unknown>) => void, options)
      : unaryImpl(method, handler as (req: unknown) => Promise<unknown>, options);
  }
  server.addService(definition as grpc.ServiceDefinition, impl);
}

/** The token check; false (and the call answered UNAUTHENTICATED) when it fails. */
function authorized(metadata: grpc.Metadata, options: RpcServerOptions, refuse: (e: Partial<grpc.StatusObject>) => void): boolean {
  if (options.token === undefined || metadata.get('authorization')[0] === `Bearer ${options.token}`) return true;
  refuse({ code: grpc.status.UNAUTHENTICATED, details: 'missing or wrong token: pass --token or set EDDY_TOKEN' });
  return false;
}

function unaryImpl(method: string, handler: (req: unknown) => Promise<unknown>, options: RpcServerOptions) {
  return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>): void => {
    if (!authorized(call.metadata, options, (e) => callback(e))) return;
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

/**
 * A server-streaming call. The handler gets the stream and keeps it as long as it likes; a handler
 * that throws ends the call with the error's status.
 */
function streamImpl(method: string, handler: (req: unknown, stream: ServerStream<unknown>) => void, options: RpcServerOptions) {
  return (call: grpc.ServerWritableStream<unknown, unknown>): void => {
    if (!authorized(call.metadata, options, (e) => call.emit('error', e))) return;
    const listeners: (() => void)[] = [];
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      for (const l of listeners.splice(0)) l();
    };
    // 'cancelled' is how grpc-js tells that the client canceled or its connection went away.
    call.on('cancelled', close);
    call.on('error', close);
    call.on('finish', close);
    const stream: ServerStream<unknown> = {
      send: (message) => {
        if (!closed) call.write(message);
      },
      end: () => {
        if (closed) return;
        call.end();
        close();
      },
      get closed() {
        return closed;
      },
      onClose: (listener) => {
        if (closed) listener();
        else listeners.push(listener);
      },
    };
    try {
      handler(call.request, stream);
    } catch (e) {
      const code = statusForError(e);
      if (code === grpc.status.INTERNAL) options.logger.error('rpc handler failed', { method, error: errorMessage(e) });
      call.emit('error', { code, details: errorMessage(e) });
      close();
    }
  };
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

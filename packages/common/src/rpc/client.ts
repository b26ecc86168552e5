/**
 * A typed client for one of Eddy's services; every call carries the token and has a deadline (for a
 * response stream: its first message must come within the deadline, then it may stay open).
 */
import * as grpc from '@grpc/grpc-js';
import { EddyError, NotFoundError, UnauthenticatedError, UnavailableError, ValidationError, IllegalStateError } from '../errors.js';
import type { AnyMethod, ClientStream, ServiceClient, ServiceSpec } from './services.js';

export interface RpcClientOptions {
  token?: string;
  /** @default 10000 */
  defaultDeadlineMs?: number;
}

export interface ClosableClient<M extends Record<string, AnyMethod>> {
  readonly api: ServiceClient<M>;
  close(): void;
}

export function createClient<M extends Record<string, AnyMethod>>(
  spec: ServiceSpec<M>,
  address: string,
  options: RpcClientOptions = {},
): ClosableClient<M> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 256 * 1024 * 1024,
    'grpc.max_send_message_length': 256 * 1024 * 1024,
    // A peer that went away is retried at most this far apart (grpc-js's default grows to 120 s), so
    // a restarted JobManager is found within seconds.
    'grpc.max_reconnect_backoff_ms': 2000,
  });
  const deadlineOf = (o?: { deadlineMs?: number }): number => o?.deadlineMs ?? options.defaultDeadlineMs ?? 10_000;
  const metadata = (): grpc.Metadata => {
    const md = new grpc.Metadata();
    if (options.token !== undefined) md.set('authorization', `Bearer ${options.token}`);
    return md;
  };
  const api = {} as Record<string, (req: unknown, o?: { deadlineMs?: number }) => unknown>;
  for (const [method, codec] of Object.entries(spec.methods)) {
    const path = `/${spec.name}/${method}`;
    const serialize = (v: unknown): Buffer => Buffer.from(codec.req.encode(v).finish());
    const deserialize = (b: Buffer): unknown => codec.res.decode(b);
    if (codec.responseStream === true) {
      api[method] = (req, o) => openStream(client.makeServerStreamRequest(path, serialize, deserialize, req, metadata(), {}), deadlineOf(o), address, method);
      continue;
    }
    api[method] = (req, o) =>
      new Promise((resolve, reject) => {
        client.makeUnaryRequest(path, serialize, deserialize, req, metadata(), { deadline: Date.now() + deadlineOf(o) }, (err, res) =>
          err ? reject(toEddyError(err, address, method)) : resolve(res),
        );
      });
  }
  return { api: api as ServiceClient<M>, close: () => client.close() };
}

/** Wraps a grpc-js response stream; cancels it when the first message misses `firstMessageDeadlineMs`. */
function openStream(call: grpc.ClientReadableStream<unknown>, firstMessageDeadlineMs: number, address: string, method: string): ClientStream<unknown> {
  const messageListeners: ((m: unknown) => void)[] = [];
  let endListener: ((e: Error | undefined) => void) | undefined;
  let ended = false;
  const finish = (e: Error | undefined): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    endListener?.(e);
  };
  const timer = setTimeout(() => {
    finish(new UnavailableError(`${address} did not open ${method} in time`, undefined, 'deadline'));
    call.cancel();
  }, firstMessageDeadlineMs);
  timer.unref();
  call.on('data', (m: unknown) => {
    clearTimeout(timer);
    for (const l of messageListeners) l(m);
  });
  call.on('error', (err: grpc.ServiceError) => finish(toEddyError(err, address, method)));
  call.on('end', () => finish(undefined));
  return {
    onMessage: (listener) => void messageListeners.push(listener),
    onEnd: (listener) => {
      endListener = listener;
    },
    cancel: () => {
      ended = true;
      clearTimeout(timer);
      call.cancel();
    },
  };
}

function toEddyError(err: grpc.ServiceError, address: string, method: string): EddyError {
  switch (err.code) {
    case grpc.status.UNAVAILABLE:
      return new UnavailableError(`cannot reach ${address} (${method}): ${err.details || 'unavailable'}`, err);
    case grpc.status.DEADLINE_EXCEEDED:
      return new UnavailableError(`${address} did not answer ${method} in time`, err, 'deadline');
    case grpc.status.INVALID_ARGUMENT:
      return new ValidationError(err.details);
    case grpc.status.NOT_FOUND:
      return new NotFoundError(err.details);
    case grpc.status.UNAUTHENTICATED:
      return new UnauthenticatedError(err.details);
    case grpc.status.FAILED_PRECONDITION:
      return new IllegalStateError(err.details);
    default:
      return new EddyError(`${method} failed: ${err.details}`, { cause: err });
  }
}

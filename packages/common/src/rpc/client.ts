/** A typed unary client for one of Eddy's services; every call has a deadline and carries the token. */
import * as grpc from '@grpc/grpc-js';
import { EddyError, NotFoundError, UnauthenticatedError, UnavailableError, ValidationError, IllegalStateError } from '../errors.js';
import type { AnyMethod, ServiceClient, ServiceSpec } from './services.js';

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
  });
  const api = {} as Record<string, (req: unknown, o?: { deadlineMs?: number }) => Promise<unknown>>;
  for (const [method, codec] of Object.entries(spec.methods)) {
    api[method] = (req, o) =>
      new Promise((resolve, reject) => {
        const metadata = new grpc.Metadata();
        if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
        const deadline = Date.now() + (o?.deadlineMs ?? options.defaultDeadlineMs ?? 10_000);
        client.makeUnaryRequest(
          `/${spec.name}/${method}`,
          (v: unknown) => Buffer.from(codec.req.encode(v).finish()),
          (b: Buffer) => codec.res.decode(b),
          req,
          metadata,
          { deadline },
          (err, res) => (err ? reject(toEddyError(err, address, method)) : resolve(res)),
        );
      });
  }
  return { api: api as ServiceClient<M>, close: () => client.close() };
}

function toEddyError(err: grpc.ServiceError, address: string, method: string): EddyError {
  switch (err.code) {
    case grpc.status.UNAVAILABLE:
      return new UnavailableError(`cannot reach ${address} (${method}): ${err.details || 'unavailable'}`, err);
    case grpc.status.DEADLINE_EXCEEDED:
      return new UnavailableError(`${address} did not answer ${method} in time`, err);
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

import { spawn } from 'node:child_process';
import test from 'ava';
import { NotFoundError } from '../../errors.js';
import { silentLogger } from '../../logger.js';
import { createClient } from '../client.js';
import { addService, bindServer, createServer, shutdownServer } from '../server.js';
import { JobMasterService, type ServerStream, type ServiceHandlers, type eddy } from '../services.js';

type Connect = (req: eddy.v1.ConnectRequest, stream: ServerStream<eddy.v1.IConnectEvent>) => void;

async function serve(connect: Connect, token?: string) {
  const unused = async (): Promise<never> => {
    throw new Error('not used here');
  };
  const handlers: ServiceHandlers<typeof JobMasterService.methods> = {
    RegisterTaskManager: unused,
    Connect: connect,
    Heartbeat: unused,
    UpdateTaskExecutionState: unused,
    AcknowledgeCheckpoint: unused,
    DeclineCheckpoint: unused,
    RequestSplit: unused,
    GetArtifact: unused,
  };
  const server = createServer();
  addService(server, JobMasterService, handlers, { logger: silentLogger, token });
  const port = await bindServer(server, '127.0.0.1', 0);
  return { server, address: `127.0.0.1:${port}` };
}

function ended(stream: { onEnd(l: (e: Error | undefined) => void): void }): Promise<Error | undefined> {
  return new Promise((resolve) => stream.onEnd(resolve));
}

test('rpc stream: the server hears at once when the client process is killed, or when it cancels', async (t) => {
  const closes: string[] = [];
  const closed = new Map<string, () => void>();
  const { server, address } = await serve((req, stream) => {
    stream.onClose(() => {
      closes.push(req.taskManagerId);
      closed.get(req.taskManagerId)?.();
    });
    stream.send({ jobManagerId: `hello ${req.taskManagerId}` });
  });
  t.teardown(() => shutdownServer(server, 100));
  const heard = (id: string) => new Promise<void>((resolve) => closed.set(id, resolve));

  // A client in another process, killed with SIGKILL once its stream is open.
  const index = new URL('../../index.js', import.meta.url).href;
  const script = `import { createClient, JobMasterService } from '${index}';
    const s = createClient(JobMasterService, '${address}').api.Connect({ taskManagerId: 'killed' });
    s.onMessage((m) => process.stdout.write(m.jobManagerId + '\\n'));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(b.toString().trim())));
  t.is(first, 'hello killed');
  const killedHeard = heard('killed');
  const killedAt = Date.now();
  child.kill('SIGKILL');
  await killedHeard;
  t.true(Date.now() - killedAt < 1000);

  const client = createClient(JobMasterService, address);
  t.teardown(() => client.close());
  const stream = client.api.Connect({ taskManagerId: 'cancels' });
  await new Promise<void>((resolve) => stream.onMessage(() => resolve()));
  const cancelHeard = heard('cancels');
  stream.cancel();
  await cancelHeard;
  t.deepEqual(closes, ['killed', 'cancels']);
});

test('rpc stream: a server that ends the stream, fails it, or goes away is seen by the client', async (t) => {
  const { server, address } = await serve((req, stream) => {
    if (req.taskManagerId === 'unknown') throw new NotFoundError('TaskManager unknown is not registered');
    stream.send({ jobManagerId: 'jm-1' });
    if (req.taskManagerId === 'end') stream.end();
  });
  const client = createClient(JobMasterService, address);
  t.teardown(() => client.close());
  t.is(await ended(client.api.Connect({ taskManagerId: 'end' })), undefined);
  const refused = await ended(client.api.Connect({ taskManagerId: 'unknown' }));
  t.like(refused, { name: 'NotFoundError', message: 'TaskManager unknown is not registered' });
  const open = client.api.Connect({ taskManagerId: 'stays' });
  await new Promise<void>((resolve) => open.onMessage(() => resolve()));
  const end = ended(open);
  server.forceShutdown();
  // grpc-js reports a server gone this way as CANCELLED or UNAVAILABLE; both end the stream with an error.
  t.truthy(await end);
});

test('rpc stream: a stream whose first message misses the deadline ends with an UnavailableError', async (t) => {
  const { server, address } = await serve(() => undefined);
  t.teardown(() => shutdownServer(server, 100));
  const client = createClient(JobMasterService, address);
  t.teardown(() => client.close());
  const started = Date.now();
  const e = await ended(client.api.Connect({ taskManagerId: 'tm-1' }, { deadlineMs: 200 }));
  t.like(e, { name: 'UnavailableError', kind: 'deadline' });
  t.true(Date.now() - started >= 190);
});

test('rpc stream: the token is required on streams too', async (t) => {
  const { server, address } = await serve((_req, stream) => stream.send({ jobManagerId: 'jm-1' }), 'sekret');
  t.teardown(() => shutdownServer(server, 100));
  const anonymous = createClient(JobMasterService, address);
  const good = createClient(JobMasterService, address, { token: 'sekret' });
  t.teardown(() => {
    anonymous.close();
    good.close();
  });
  t.like(await ended(anonymous.api.Connect({ taskManagerId: 'tm-1' })), { name: 'UnauthenticatedError' });
  const s = good.api.Connect({ taskManagerId: 'tm-1' });
  t.is(await new Promise<string>((resolve) => s.onMessage((m) => resolve(m.jobManagerId))), 'jm-1');
  s.cancel();
});

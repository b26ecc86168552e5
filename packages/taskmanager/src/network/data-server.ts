/**
 * The TCP server that accepts producers' data connections and routes each, by its handshake, to
 * the input gate it feeds.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@eddy/common';
import type { ChannelHandshake } from './channel-handshake.js';
import { InboundConnection } from './inbound-connection.js';

/** The consumer-side endpoint a handshake names: an input gate. */
export interface GateEndpoint {
  /** Takes over the connection for `channelIndex`; throws if the handshake does not fit the gate. */
  attach(channelIndex: number, connection: InboundConnection): void;
}

/** How long a connection may wait for its gate to be created before it is closed. */
export const DEFAULT_PENDING_TIMEOUT_MS = 60_000;

export function gateKey(taskKey: string, gateIndex: number): string {
  return `${taskKey}#${gateIndex}`;
}

/**
 * Accepts connections, reads their handshake and hands them to the registered gate; a connection
 * whose gate is not registered yet is held (no credit is sent, so the producer sends no data) until
 * the gate registers or `pendingTimeoutMs` passes.
 *
 * Invariants: a connection is in at most one of `pending` or a gate; a handshake that a gate
 * rejects closes that connection only; no socket event can throw out of this class.
 */
export class DataServer {
  private readonly gates = new Map<string, GateEndpoint>();
  private readonly pending = new Map<string, Set<InboundConnection>>();
  private readonly connections = new Set<InboundConnection>();
  private readonly pendingTimers = new Map<InboundConnection, NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly logger: Logger,
    private readonly pendingTimeoutMs: number,
  ) {
    server.on('connection', (socket) => this.onConnection(socket));
    server.on('error', (e) => this.logger.error('data server error', { error: e.message }));
  }

  static listen(o: { host: string; port?: number; logger: Logger; pendingTimeoutMs?: number }): Promise<DataServer> {
    const server = createServer({ noDelay: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host, () => {
        server.off('error', reject);
        const address = server.address();
        const port = typeof address === 'object' && address !== null ? address.port : 0;
        resolve(new DataServer(server, port, o.logger, o.pendingTimeoutMs ?? DEFAULT_PENDING_TIMEOUT_MS));
      });
    });
  }

  /** Registers a gate and hands it the connections that were waiting for it. */
  registerGate(taskKey: string, gateIndex: number, gate: GateEndpoint): void {
    const key = gateKey(taskKey, gateIndex);
    this.gates.set(key, gate);
    const waiting = this.pending.get(key);
    this.pending.delete(key);
    for (const c of waiting ?? []) {
      clearTimeout(this.pendingTimers.get(c));
      this.pendingTimers.delete(c);
      this.attach(gate, c);
    }
  }

  unregisterGate(taskKey: string, gateIndex: number, gate: GateEndpoint): void {
    const key = gateKey(taskKey, gateIndex);
    if (this.gates.get(key) === gate) this.gates.delete(key);
  }

  async close(): Promise<void> {
    for (const t of this.pendingTimers.values()) clearTimeout(t);
    this.pendingTimers.clear();
    for (const c of this.connections) c.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: Socket): void {
    const connection = new InboundConnection(
      socket,
      (c, h) => this.onHandshake(c, h),
      (c) => this.onGone(c),
      this.logger,
    );
    this.connections.add(connection);
  }

  private onHandshake(c: InboundConnection, h: ChannelHandshake): void {
    const key = gateKey(h.taskKey, h.gateIndex);
    const gate = this.gates.get(key);
    if (gate !== undefined) {
      this.attach(gate, c);
      return;
    }
    let waiting = this.pending.get(key);
    if (waiting === undefined) this.pending.set(key, (waiting = new Set()));
    waiting.add(c);
    const timer = setTimeout(() => {
      this.logger.warn('data connection waited too long for its gate', { ...h });
      c.close();
    }, this.pendingTimeoutMs);
    timer.unref();
    this.pendingTimers.set(c, timer);
  }

  private attach(gate: GateEndpoint, c: InboundConnection): void {
    try {
      gate.attach(c.channelHandshake!.channelIndex, c);
    } catch (e) {
      this.logger.warn('data connection rejected', { ...c.channelHandshake, error: (e as Error).message });
      c.close(e as Error);
    }
  }

  private onGone(c: InboundConnection): void {
    this.connections.delete(c);
    const h = c.channelHandshake;
    if (h === undefined) return;
    const t = this.pendingTimers.get(c);
    if (t !== undefined) {
      clearTimeout(t);
      this.pendingTimers.delete(c);
      this.pending.get(gateKey(h.taskKey, h.gateIndex))?.delete(c);
    }
  }
}

/**
 * The data-exchange services of one worker thread (one slot): its TCP data server, and the result
 * partitions and input gates of the tasks running there.
 */
import type { Logger } from '@eddy/common';
import { IllegalStateError } from '@eddy/common';
import { DataServer } from './data-server.js';
import { InputGate, type InputGateOptions } from './input-gate.js';
import { ResultPartition, type ResultPartitionOptions } from './result-partition.js';

/**
 * Owns one data server and every partition and gate created through it.
 *
 * Invariants: a gate is reachable by producers from its creation until its close(); producers that
 * connect earlier are held by the server (without credit) until the gate is created; close() closes
 * every partition, gate and connection it created. Single-threaded: use it only from the thread
 * that started it.
 */
export class NetworkEnvironment {
  private readonly partitions = new Set<ResultPartition>();
  private readonly gates = new Set<InputGate>();
  private closed = false;

  private constructor(
    private readonly server: DataServer,
    private readonly logger: Logger,
  ) {}

  static async start(o: { host: string; port?: number; logger: Logger }): Promise<NetworkEnvironment> {
    const logger = o.logger.child({ component: 'network' });
    const server = await DataServer.listen({ host: o.host, port: o.port, logger });
    logger.debug('data server listening', { host: o.host, port: server.port });
    return new NetworkEnvironment(server, logger);
  }

  get port(): number {
    return this.server.port;
  }

  createResultPartition(o: ResultPartitionOptions): ResultPartition {
    this.checkOpen();
    const partition = new ResultPartition(o, this.logger.child({ producerIndex: o.producerIndex }));
    this.partitions.add(partition);
    return partition;
  }

  createInputGate(o: InputGateOptions): InputGate {
    this.checkOpen();
    const logger = this.logger.child({ taskKey: o.taskKey, gateIndex: o.gateIndex });
    const gate = new InputGate(o, logger, (g) => {
      this.server.unregisterGate(o.taskKey, o.gateIndex, g);
      this.gates.delete(g);
    });
    this.gates.add(gate);
    this.server.registerGate(o.taskKey, o.gateIndex, gate);
    return gate;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.partitions) p.close();
    this.partitions.clear();
    for (const g of [...this.gates]) g.close();
    await this.server.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new IllegalStateError('network environment is closed');
  }
}

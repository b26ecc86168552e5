/**
 * The chain's exit to the network: routes each record to the result partition of every output edge,
 * choosing channels by the edge's partitioner. Synchronous; the partitions batch and encode.
 */
import { subtaskForKey } from '@eddy/common';
import type { ResultPartition } from '../network/index.js';
import type { Output } from '../operators/stream-operator.js';
import type { PartitionerName } from '@eddy/common';

type Route = (record: unknown) => void;

export interface RoutedPartition {
  partition: ResultPartition;
  partitioner: PartitionerName;
  keySelector?: (v: unknown) => unknown;
}

export class RecordWriterOutput implements Output {
  recordsOut = 0;
  private readonly routes: Route[];

  constructor(
    readonly partitions: readonly RoutedPartition[],
    subtaskIndex: number,
    parallelism: number,
    maxParallelism: number,
  ) {
    this.routes = partitions.map((p) => makeRoute(p, subtaskIndex, parallelism, maxParallelism));
  }

  collect(record: unknown): void {
    this.recordsOut++;
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) routes[i]!(record);
  }
}

function makeRoute(p: RoutedPartition, subtask: number, parallelism: number, maxParallelism: number): Route {
  const part = p.partition;
  const n = part.numChannels;
  switch (p.partitioner) {
    case 'forward':
      return (r) => part.emit(subtask % n, r);
    case 'broadcast':
      return (r) => part.broadcast(r);
    case 'hash': {
      const key = p.keySelector;
      if (!key) throw new Error('a hash edge needs a key selector');
      return (r) => part.emit(subtaskForKey(key(r), maxParallelism, n), r);
    }
    case 'rebalance': {
      let next = subtask % n;
      return (r) => {
        part.emit(next, r);
        next = next + 1 === n ? 0 : next + 1;
      };
    }
    case 'rescale': {
      // Each producer cycles over its own contiguous share of the consumers.
      const from = Math.floor((subtask * n) / parallelism);
      const to = Math.max(from + 1, Math.floor(((subtask + 1) * n) / parallelism));
      let next = from;
      return (r) => {
        part.emit(next, r);
        next = next + 1 >= to ? from : next + 1;
      };
    }
  }
}

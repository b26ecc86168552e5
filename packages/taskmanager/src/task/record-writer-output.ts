/**
 * The chain's exit to the network: routes each record to the result partition of every output edge,
 * choosing channels by the edge's partitioner; side outputs go to the edges of their tag; watermarks
 * and watermark status go to every channel of every edge, in order with records. Synchronous; the
 * partitions batch and encode.
 */
import { subtaskForKey, type PartitionerName } from '@eddy/common';
import type { ResultPartition } from '../network/index.js';
import type { Output } from '../operators/stream-operator.js';

type Route = (record: unknown, timestamp: number) => void;

export interface RoutedPartition {
  partition: ResultPartition;
  partitioner: PartitionerName;
  keySelector?: (v: unknown) => unknown;
  /** Set on edges that carry a side output. */
  sideOutputTag?: string;
}

export class RecordWriterOutput implements Output {
  recordsOut = 0;
  /** Side-output records with no consumer (nobody called getSideOutput for the tag). */
  sideOutputsDiscarded = 0;
  private readonly main: Route[];
  private readonly side = new Map<string, Route[]>();
  private lastWatermark = -Infinity;

  constructor(
    readonly partitions: readonly RoutedPartition[],
    subtaskIndex: number,
    parallelism: number,
    maxParallelism: number,
  ) {
    const main: Route[] = [];
    for (const p of partitions) {
      const route = makeRoute(p, subtaskIndex, parallelism, maxParallelism);
      if (p.sideOutputTag === undefined) main.push(route);
      else this.side.set(p.sideOutputTag, [...(this.side.get(p.sideOutputTag) ?? []), route]);
    }
    this.main = main;
  }

  /** True when records of the main output leave on at least one edge. */
  get hasMainEdges(): boolean {
    return this.main.length > 0;
  }

  collect(record: unknown, timestamp: number): void {
    this.recordsOut++;
    const routes = this.main;
    for (let i = 0; i < routes.length; i++) routes[i]!(record, timestamp);
  }

  collectSide(tag: string, record: unknown, timestamp: number): void {
    const routes = this.side.get(tag);
    if (!routes) {
      this.sideOutputsDiscarded++;
      return;
    }
    for (let i = 0; i < routes.length; i++) routes[i]!(record, timestamp);
  }

  emitWatermark(watermark: number): void {
    if (watermark <= this.lastWatermark) return;
    this.lastWatermark = watermark;
    for (const p of this.partitions) p.partition.broadcastEvent({ type: 'watermark', timestamp: watermark });
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const p of this.partitions) p.partition.broadcastEvent({ type: 'watermark-status', idle });
  }
}

function makeRoute(p: RoutedPartition, subtask: number, parallelism: number, maxParallelism: number): Route {
  const part = p.partition;
  const n = part.numChannels;
  switch (p.partitioner) {
    case 'forward':
      return (r, t) => part.emit(subtask % n, r, t);
    case 'broadcast':
      return (r, t) => part.broadcast(r, t);
    case 'hash': {
      const key = p.keySelector;
      if (!key) throw new Error('a hash edge needs a key selector');
      return (r, t) => part.emit(subtaskForKey(key(r), maxParallelism, n), r, t);
    }
    case 'rebalance': {
      let next = subtask % n;
      return (r, t) => {
        part.emit(next, r, t);
        next = next + 1 === n ? 0 : next + 1;
      };
    }
    case 'rescale': {
      // Each producer cycles over its own contiguous share of the consumers.
      const from = Math.floor((subtask * n) / parallelism);
      const to = Math.max(from + 1, Math.floor(((subtask + 1) * n) / parallelism));
      let next = from;
      return (r, t) => {
        part.emit(next, r, t);
        next = next + 1 >= to ? from : next + 1;
      };
    }
  }
}

/**
 * A min-heap of timers by timestamp with de-duplication on (key, namespace, timestamp). Timers are
 * state: the queue can be listed by key group for snapshots.
 */
export interface Timer {
  readonly key: unknown;
  readonly keyId: string; // canonical form of the key, for de-duplication
  readonly keyGroup: number;
  readonly namespace: string;
  readonly timestamp: number;
}

export class TimerQueue {
  private heap: Timer[] = [];
  private readonly ids = new Set<string>();

  get size(): number {
    return this.heap.length;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  /** False when an equal timer was already queued. */
  add(t: Timer): boolean {
    const id = timerId(t.keyId, t.namespace, t.timestamp);
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    this.heap.push(t);
    this.up(this.heap.length - 1);
    return true;
  }

  delete(keyId: string, namespace: string, timestamp: number): void {
    const id = timerId(keyId, namespace, timestamp);
    if (!this.ids.delete(id)) return;
    const i = this.heap.findIndex((t) => t.timestamp === timestamp && t.keyId === keyId && t.namespace === namespace);
    if (i < 0) return;
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = last;
      this.down(i);
      this.up(i);
    }
  }

  poll(): Timer | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    this.ids.delete(timerId(top.keyId, top.namespace, top.timestamp));
    return top;
  }

  /** Every timer, for snapshots. */
  all(): readonly Timer[] {
    return this.heap;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.timestamp <= h[i]!.timestamp) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.timestamp < h[m]!.timestamp) m = l;
      if (r < h.length && h[r]!.timestamp < h[m]!.timestamp) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}

function timerId(keyId: string, namespace: string, timestamp: number): string {
  return `${timestamp}\u0000${namespace}\u0000${keyId}`;
}

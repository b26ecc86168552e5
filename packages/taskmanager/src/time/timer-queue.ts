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
  /** timestamp -> namespace -> key ids queued there: de-duplication without building strings. */
  private readonly ids = new Map<number, Map<string, Set<string>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  /** False when an equal timer was already queued (then nothing is allocated). */
  add(key: unknown, keyId: string, keyGroup: number, namespace: string, timestamp: number): boolean {
    let at = this.ids.get(timestamp);
    if (at === undefined) {
      at = new Map();
      this.ids.set(timestamp, at);
    }
    let keys = at.get(namespace);
    if (keys === undefined) {
      keys = new Set();
      at.set(namespace, keys);
    } else if (keys.has(keyId)) return false;
    keys.add(keyId);
    this.count++;
    this.heap.push({ key, keyId, keyGroup, namespace, timestamp });
    this.up(this.heap.length - 1);
    return true;
  }

  delete(keyId: string, namespace: string, timestamp: number): void {
    if (!this.forget(timestamp, namespace, keyId)) return;
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
    this.forget(top.timestamp, top.namespace, top.keyId);
    return top;
  }

  private forget(timestamp: number, namespace: string, keyId: string): boolean {
    const at = this.ids.get(timestamp);
    const keys = at?.get(namespace);
    if (!keys?.delete(keyId)) return false;
    if (keys.size === 0) {
      at!.delete(namespace);
      if (at!.size === 0) this.ids.delete(timestamp);
    }
    this.count--;
    return true;
  }

  /** Every timer, for snapshots. */
  all(): readonly Timer[] {
    return this.heap;
  }

  private up(i: number): void {
    const h = this.heap;
    const t = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.timestamp <= t.timestamp) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = t;
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
      const t = h[m]!;
      h[m] = h[i]!;
      h[i] = t;
      i = m;
    }
  }
}

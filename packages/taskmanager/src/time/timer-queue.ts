/**
 * A min-heap of timers by timestamp with de-duplication on (key, namespace, timestamp). Timers are
 * state: the queue can be listed by key group for snapshots.
 *
 * The heap's timestamps live in their own dense array beside the timer objects, so sifting compares
 * numbers in one array instead of loading a timer object per comparison (a large queue's objects
 * are scattered over the heap: every load was a cache miss).
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
  /** times[i] === heap[i].timestamp */
  private times: number[] = [];
  /** timestamp -> namespace -> key ids queued there: de-duplication without building strings. */
  private readonly ids = new Map<number, Map<string, Set<string>>>();
  /** The same for the empty namespace (process functions' timers): one level less. */
  private readonly voidIds = new Map<number, Set<string>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  /** The earliest timestamp, or Infinity when empty. */
  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.times[0]!;
  }

  /** False when an equal timer was already queued (then nothing is allocated). */
  add(key: unknown, keyId: string, keyGroup: number, namespace: string, timestamp: number): boolean {
    let keys: Set<string> | undefined;
    if (namespace === '') {
      keys = this.voidIds.get(timestamp);
      if (keys === undefined) {
        keys = new Set();
        this.voidIds.set(timestamp, keys);
      } else if (keys.has(keyId)) return false;
    } else {
      let at = this.ids.get(timestamp);
      if (at === undefined) {
        at = new Map();
        this.ids.set(timestamp, at);
      }
      keys = at.get(namespace);
      if (keys === undefined) {
        keys = new Set();
        at.set(namespace, keys);
      } else if (keys.has(keyId)) return false;
    }
    keys.add(keyId);
    this.count++;
    this.heap.push({ key, keyId, keyGroup, namespace, timestamp });
    this.times.push(timestamp);
    this.up(this.heap.length - 1);
    return true;
  }

  delete(keyId: string, namespace: string, timestamp: number): void {
    if (!this.forget(timestamp, namespace, keyId)) return;
    const i = this.heap.findIndex((t) => t.timestamp === timestamp && t.keyId === keyId && t.namespace === namespace);
    if (i < 0) return;
    this.removeAt(i);
  }

  poll(): Timer | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    this.removeAt(0);
    this.forget(top.timestamp, top.namespace, top.keyId);
    return top;
  }

  private removeAt(i: number): void {
    const lastTimer = this.heap.pop()!;
    const lastTime = this.times.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = lastTimer;
      this.times[i] = lastTime;
      this.down(i);
      this.up(i);
    }
  }

  private forget(timestamp: number, namespace: string, keyId: string): boolean {
    if (namespace === '') {
      const keys = this.voidIds.get(timestamp);
      if (!keys?.delete(keyId)) return false;
      if (keys.size === 0) this.voidIds.delete(timestamp);
      this.count--;
      return true;
    }
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
    const ts = this.times;
    const t = h[i]!;
    const time = ts[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ts[p]! <= time) break;
      h[i] = h[p]!;
      ts[i] = ts[p]!;
      i = p;
    }
    h[i] = t;
    ts[i] = time;
  }

  private down(i: number): void {
    const h = this.heap;
    const ts = this.times;
    const n = ts.length;
    const t = h[i]!;
    const time = ts[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && ts[r]! < ts[l]! ? r : l;
      if (ts[m]! >= time) break;
      h[i] = h[m]!;
      ts[i] = ts[m]!;
      i = m;
    }
    h[i] = t;
    ts[i] = time;
  }
}

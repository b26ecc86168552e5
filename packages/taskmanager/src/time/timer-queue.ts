/**
 * Timers by timestamp with de-duplication on (key, namespace, timestamp). Timers are state: the queue
 * can be listed for snapshots.
 *
 * Timers bunch on few timestamps (every key's window ends at the same instant), so the queue keeps one
 * bucket per distinct timestamp — its timers in arrival order with their de-duplication sets — and a
 * min-heap of the distinct timestamps only. Adding is a map lookup and a push; polling walks the
 * earliest bucket; the heap is sifted once per timestamp, not once per timer. Timers of one timestamp
 * come out in the order they were added. A deleted timer stays in its bucket's list and is skipped
 * when reached (it is no longer in the bucket's set).
 */
export interface Timer {
  readonly key: unknown;
  readonly keyId: string | number; // canonical form of the key, for de-duplication (see keyIdOf)
  readonly keyGroup: number;
  readonly namespace: string;
  readonly timestamp: number;
}

/** The timers of one timestamp. */
class Bucket {
  readonly timers: Timer[] = [];
  /** The next timer of `timers` to poll. */
  next = 0;
  /** Queued key ids of the empty namespace (process functions' timers). */
  readonly voidIds = new Set<string | number>();
  /** namespace -> queued key ids. */
  ids: Map<string, Set<string | number>> | undefined;

  /** The namespace looked up last and its ids: a bucket's timers mostly share one (a window's). */
  private lastNamespace = '';
  private lastIds: Set<string | number> | undefined;

  /** The queued ids of `namespace`, created when `create`. */
  idsOf(namespace: string, create: boolean): Set<string | number> | undefined {
    if (namespace === '') return this.voidIds;
    if (namespace === this.lastNamespace && this.lastIds !== undefined) return this.lastIds;
    let ids = this.ids?.get(namespace);
    if (ids === undefined) {
      if (!create) return undefined;
      ids = new Set();
      (this.ids ??= new Map()).set(namespace, ids);
    }
    this.lastNamespace = namespace;
    this.lastIds = ids;
    return ids;
  }

  /** Takes the next queued timer (skipping deleted ones) with one set operation each; undefined when used up. */
  take(): Timer | undefined {
    const timers = this.timers;
    while (this.next < timers.length) {
      const t = timers[this.next++]!;
      if (this.idsOf(t.namespace, false)?.delete(t.keyId)) return t;
    }
    return undefined;
  }

  /**
   * Skips timers deleted since they were added; true when a queued timer is at `next`. (A timer deleted
   * and added again is listed twice; whichever entry comes first fires, the other finds it gone.)
   */
  settle(): boolean {
    const timers = this.timers;
    while (this.next < timers.length) {
      const t = timers[this.next]!;
      if (this.idsOf(t.namespace, false)?.has(t.keyId)) return true;
      this.next++;
    }
    return false;
  }
}

export class TimerQueue {
  private readonly buckets = new Map<number, Bucket>();
  /** Min-heap of the timestamps that have a bucket. */
  private readonly times: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The next timer to poll, or undefined. */
  peek(): Timer | undefined {
    const b = this.head();
    return b === undefined ? undefined : b.timers[b.next];
  }

  /** The earliest timestamp, or Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Infinity : this.head() === undefined ? Infinity : this.times[0]!;
  }

  /** False when an equal timer was already queued (then nothing is allocated). */
  add(key: unknown, keyId: string | number, keyGroup: number, namespace: string, timestamp: number): boolean {
    let b = this.buckets.get(timestamp);
    if (b === undefined) {
      b = new Bucket();
      this.buckets.set(timestamp, b);
      this.pushTime(timestamp);
    }
    const ids = b.idsOf(namespace, true)!;
    if (ids.has(keyId)) return false;
    ids.add(keyId);
    this.count++;
    b.timers.push({ key, keyId, keyGroup, namespace, timestamp });
    return true;
  }

  delete(keyId: string | number, namespace: string, timestamp: number): void {
    const b = this.buckets.get(timestamp);
    if (b === undefined || !b.idsOf(namespace, false)?.delete(keyId)) return;
    this.count--;
  }

  poll(): Timer | undefined {
    return this.pollDue(Infinity);
  }

  /** Takes the earliest timer if its timestamp is at most `limit`, else undefined. */
  pollDue(limit: number): Timer | undefined {
    while (this.times.length > 0) {
      const ts = this.times[0]!;
      if (ts > limit) return undefined;
      const t = this.buckets.get(ts)!.take();
      if (t !== undefined) {
        this.count--;
        return t;
      }
      this.buckets.delete(ts);
      this.popTime();
    }
    return undefined;
  }

  /** Every queued timer, for snapshots. */
  all(): readonly Timer[] {
    const out: Timer[] = [];
    for (const b of this.buckets.values()) {
      const seen = new Set<string | number>();
      for (let i = b.timers.length - 1; i >= b.next; i--) {
        const t = b.timers[i]!;
        const id = `${t.namespace}\u0000${t.keyId}`;
        if (seen.has(id) || !b.idsOf(t.namespace, false)?.has(t.keyId)) continue;
        seen.add(id);
        out.push(t);
      }
    }
    return out;
  }

  /** The earliest bucket with a queued timer at `next`; drops the buckets used up before it. */
  private head(): Bucket | undefined {
    while (this.times.length > 0) {
      const ts = this.times[0]!;
      const b = this.buckets.get(ts)!;
      if (b.settle()) return b;
      this.buckets.delete(ts);
      this.popTime();
    }
    return undefined;
  }

  private pushTime(time: number): void {
    const ts = this.times;
    let i = ts.length;
    ts.push(time);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ts[p]! <= time) break;
      ts[i] = ts[p]!;
      i = p;
    }
    ts[i] = time;
  }

  private popTime(): void {
    const ts = this.times;
    const last = ts.pop()!;
    const n = ts.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && ts[r]! < ts[l]! ? r : l;
      if (ts[m]! >= last) break;
      ts[i] = ts[m]!;
      i = m;
    }
    ts[i] = last;
  }
}

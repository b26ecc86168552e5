/**
 * Map state with one table entry per map entry, so a large map is never decoded or rewritten whole:
 *
 *   entry:     [key group][state id][len][key][len][namespace][serialized user key] → value
 *   key index: [key group][state id][len][key][len][namespace]                      → set of user keys
 *
 * LevelDB iterators are asynchronous, but entries()/keys()/values()/isEmpty() must be synchronous, so
 * each (state, key, namespace) keeps an index of its present user keys as one more entry, cached like
 * any other (one getSync on a miss). put() of a new user key and remove() update the index.
 *
 * Limits: the index of one (key, namespace) is read and, after a membership change, written whole, so
 * a map that gains or loses keys between every flush costs O(size of that map) per flush; maps up to
 * ~10^5 user keys per key and namespace are fine. Get/put of existing user keys never touch it
 * beyond one cached lookup. TTL applies per map entry; expired entries are dropped from the index
 * when read. keys()/entries() return user keys decoded from their serialized form (see
 * deserializeKey: object keys come back as the parse of their canonical JSON).
 *
 * Invariant: a user key is in the index iff its entry was written and not removed, or expired and not
 * yet seen by a scan (scans drop expired keys from the index).
 */
import { serializeKey } from '@eddy/common';
import { AbstractInternalState, type StateContext } from './internal-states.js';
import type { InternalMapState } from './keyed-state-backend.js';
import { bytesToLatin1, deserializeKey, namespaceChars, prefixedKey } from './state-key-codec.js';
import { NO_TIMESTAMP, keyIndexCodec } from './state-value-codec.js';
import type { StateSpec } from '@eddy/common';

export class TableMapState<K, V> extends AbstractInternalState implements InternalMapState<K, V> {
  constructor(sc: StateContext, spec: StateSpec) {
    super(sc, spec);
    this.nsChars = this.encodeNamespace('');
  }

  protected override encodeNamespace(namespace: string): string {
    return prefixedKey(namespaceChars(namespace));
  }

  get(key: K): V | undefined {
    return this.readAt(this.statePrefix(), this.nsChars + userKey(key))?.value as V | undefined;
  }

  contains(key: K): boolean {
    return this.readAt(this.statePrefix(), this.nsChars + userKey(key)) !== undefined;
  }

  put(key: K, value: V): void {
    const prefix = this.statePrefix();
    const uk = userKey(key);
    this.writeAt(prefix, this.nsChars + uk, value);
    const index = this.index(prefix);
    if (index === undefined) this.writeIndex(prefix, new Set([uk]));
    else if (!index.has(uk)) {
      index.add(uk);
      this.writeIndex(prefix, index);
    }
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [k, v] of entries) this.put(k, v);
  }

  remove(key: K): void {
    this.removeUserKey(this.statePrefix(), userKey(key));
  }

  entries(): [K, V][] {
    const out: [K, V][] = [];
    this.scan((uk, value) => out.push([deserializeKey(uk) as K, value as V]));
    return out;
  }

  keys(): K[] {
    const out: K[] = [];
    this.scan((uk) => out.push(deserializeKey(uk) as K));
    return out;
  }

  values(): V[] {
    const out: V[] = [];
    this.scan((_uk, value) => out.push(value as V));
    return out;
  }

  isEmpty(): boolean {
    const index = this.index(this.statePrefix());
    if (index === undefined) return true;
    if (this.spec.ttl === undefined) return index.size === 0;
    let empty = true;
    this.scan(() => (empty = false));
    return empty;
  }

  override clear(): void {
    const prefix = this.statePrefix();
    const ns = this.nsChars;
    const index = this.index(prefix);
    if (index === undefined) return;
    for (const uk of index) this.table.remove(prefix, ns + uk);
    this.table.remove(prefix, ns);
  }

  /** Calls fn for each present (unexpired) entry, in index order. */
  private scan(fn: (uk: string, value: unknown) => void): void {
    const prefix = this.statePrefix();
    const index = this.index(prefix);
    if (index === undefined) return;
    let expired: string[] | undefined;
    for (const uk of index) {
      const e = this.readAt(prefix, this.nsChars + uk);
      if (e === undefined) (expired ??= []).push(uk);
      else fn(uk, e.value);
    }
    if (expired !== undefined) for (const uk of expired) this.removeUserKey(prefix, uk);
  }

  private removeUserKey(prefix: string, uk: string): void {
    const ns = this.nsChars;
    this.table.remove(prefix, ns + uk);
    const index = this.index(prefix);
    if (index === undefined || !index.delete(uk)) return;
    if (index.size === 0) this.table.remove(prefix, ns);
    else this.writeIndex(prefix, index);
  }

  /** The key index of (current key, namespace): the entry at the map prefix with no user key. */
  private index(prefix: string): Set<string> | undefined {
    return this.table.read(prefix, this.nsChars, keyIndexCodec)?.value as Set<string> | undefined;
  }

  private writeIndex(prefix: string, index: Set<string>): void {
    this.table.write(prefix, this.nsChars, keyIndexCodec, index, NO_TIMESTAMP);
  }
}

function userKey(key: unknown): string {
  return bytesToLatin1(serializeKey(key));
}

/** Shared fixtures of the network tests: environments on 127.0.0.1 and a gate-draining loop. */
import { silentLogger } from '@eddy/common';
import { NetworkEnvironment } from '../network-environment.js';
import type { GateEvent, InputGate } from '../input-gate.js';
import type { RecordCodec } from '../record-codec.js';

export const HOST = '127.0.0.1';

export async function withEnvironments<T>(n: number, body: (envs: NetworkEnvironment[]) => Promise<T>): Promise<T> {
  const envs: NetworkEnvironment[] = [];
  try {
    for (let i = 0; i < n; i++) envs.push(await NetworkEnvironment.start({ host: HOST, logger: silentLogger }));
    return await body(envs);
  } finally {
    await Promise.all(envs.map((e) => e.close()));
  }
}

export type BufferEvent = Extract<GateEvent, { records: unknown[] }>;
export type InBandEvent = Extract<GateEvent, { event: unknown }>;

/**
 * Polls `gate` until 'end' (or its error), handing every buffer to `onBuffer` and every in-band
 * event to `onEvent` (an event without `onEvent` is a test failure).
 */
export async function drain(
  gate: InputGate,
  onBuffer: (e: BufferEvent) => void,
  onEvent: (e: InBandEvent) => void = (e) => {
    throw new Error(`unexpected event ${JSON.stringify(e)}`);
  },
): Promise<void> {
  for (;;) {
    const e = gate.pollNext();
    if (e === 'end') return;
    if (e !== undefined) {
      if ('event' in e) onEvent(e);
      else onBuffer(e);
      continue;
    }
    if (gate.error !== undefined) throw gate.error;
    await gate.availability();
  }
}

/** A codec wrapper that counts encode calls (one per network buffer). */
export function countingCodec(inner: RecordCodec): RecordCodec & { encodes: number } {
  const c = {
    name: inner.name,
    encodes: 0,
    encode(records: readonly unknown[]): Buffer {
      c.encodes++;
      return inner.encode(records);
    },
    decode: (bytes: Buffer) => inner.decode(bytes),
  };
  return c;
}

export function bid(i: number): Record<string, unknown> {
  return {
    auction: 1000 + (i % 1000),
    bidder: 2000 + (i % 777),
    price: 100 + (i % 10000),
    channel: 'Google',
    url: 'https://www.nexmark.com/mpa/esoh/item.htm?query=1',
    dateTime: 1700000000000 + i,
    extra: 'wtatweaobh',
    seq: i,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

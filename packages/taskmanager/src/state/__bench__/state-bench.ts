/**
 * Micro-benchmark of keyed state: ValueState read + update per second (`v.update((v.value() ?? 0) + 1)`
 * after setCurrentKey) on the heap and LevelDB backends, with 10K keys (cache-resident) and 2M keys
 * (cache 100K, uniformly random keys, state written beforehand), awaiting maybeFlush() every 1000
 * records as a task does between input batches; and MapState put + get with 10 user keys per key.
 *
 * Run (after compiling with the state tsconfig): node packages/taskmanager/lib/state/__bench__/state-bench.js [ops]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyedStateBackend } from '../state-backend-factory.js';
import type { KeyedStateBackend } from '../keyed-state-backend.js';

const OPS = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1000;

/** xorshift32: the same key sequence on every run. */
function randomKeys(n: number, range: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = 2463534242;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % range;
  }
  return out;
}

async function withBackend(kind: 'heap' | 'leveldb', fn: (b: KeyedStateBackend) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-state-bench-'));
  const b = await createKeyedStateBackend({ kind, dir, maxParallelism: 128, keyGroupRange: { start: 0, end: 127 }, cacheEntries: 100_000 });
  try {
    await fn(b);
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function valueBench(kind: 'heap' | 'leveldb', keyCount: number): Promise<void> {
  await withBackend(kind, async (b) => {
    const v = b.getValueState<number>('op', { kind: 'value', name: 'count' });
    const fill = Date.now();
    for (let k = 0; k < keyCount; k++) {
      b.setCurrentKey(k);
      v.update(0);
      if (k % BATCH === 0) await b.maybeFlush();
    }
    await b.flush();
    const fillMs = Date.now() - fill;
    const keys = randomKeys(OPS, keyCount);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) {
      b.setCurrentKey(keys[i]);
      v.update((v.value() ?? 0) + 1);
      if (i % BATCH === BATCH - 1) await b.maybeFlush();
    }
    await b.flush();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    report(`value read+update, ${kind}, ${keyCount} keys`, OPS / s, `fill ${((keyCount / fillMs) * 1000).toFixed(0)}/s`);
  });
}

async function mapBench(kind: 'heap' | 'leveldb'): Promise<void> {
  await withBackend(kind, async (b) => {
    const m = b.getMapState<number, number>('op', { kind: 'map', name: 'm' });
    const keys = randomKeys(OPS, 10_000);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) {
      b.setCurrentKey(keys[i]);
      const uk = i % 10;
      m.put(uk, (m.get(uk) ?? 0) + 1);
      if (i % BATCH === BATCH - 1) await b.maybeFlush();
    }
    await b.flush();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    report(`map get+put, ${kind}, 10000 keys x 10 user keys`, OPS / s, '');
  });
}

function mapBaseline(keyCount: number): void {
  const map = new Map<number, number>();
  const keys = randomKeys(OPS, keyCount);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) map.set(keys[i]!, (map.get(keys[i]!) ?? 0) + 1);
  report(`baseline JS Map get+set, ${keyCount} keys`, OPS / (Number(process.hrtime.bigint() - t0) / 1e9), '');
}

function report(what: string, perSecond: number, extra: string): void {
  process.stdout.write(`${what.padEnd(52)} ${(perSecond / 1000).toFixed(0).padStart(6)} K ops/s ${extra}\n`);
}

mapBaseline(10_000);
await valueBench('heap', 10_000);
await valueBench('leveldb', 10_000);
await mapBench('heap');
await mapBench('leveldb');
await valueBench('heap', 2_000_000);
await valueBench('leveldb', 2_000_000);

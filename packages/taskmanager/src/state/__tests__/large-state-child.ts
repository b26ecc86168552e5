/**
 * Child process of test-state-larger-than-memory: run with a small `--max-old-space-size`, it writes
 * `keys` values of `valueBytes` bytes through the LevelDB backend with a small cache, reads every one
 * back, and prints one JSON line with the heap limit, the data volume and the mismatches.
 *
 * Usage: node --max-old-space-size=16 --max-semi-space-size=1 large-state-child.js <dir> <keys> <valueBytes>
 */
import v8 from 'node:v8';
import { createKeyedStateBackend } from '../state-backend-factory.js';

const [dir, keysArg, valueBytesArg] = process.argv.slice(2);
const keys = Number(keysArg);
const valueBytes = Number(valueBytesArg);
const BATCH = 2500;

/** A deterministic value of exactly valueBytes ASCII bytes, different for every key. */
function valueFor(k: number): string {
  const head = `${k}:`;
  const fill = String.fromCharCode(97 + (k % 26), 65 + ((k >>> 5) % 26));
  return head + fill.repeat(valueBytes).slice(0, valueBytes - head.length);
}

const started = Date.now();
const backend = await createKeyedStateBackend({
  kind: 'leveldb',
  dir: dir!,
  maxParallelism: 128,
  keyGroupRange: { start: 0, end: 127 },
  cacheEntries: 5_000,
  writeBufferEntries: 2_500,
});
const state = backend.getValueState<string>('op', { kind: 'value', name: 'payload' });
let bytes = 0;
for (let k = 0; k < keys; k++) {
  backend.setCurrentKey(k);
  const v = valueFor(k);
  state.update(v);
  bytes += v.length + 9; // value + serialized key
  if (k % BATCH === BATCH - 1) await backend.maybeFlush();
}
await backend.flush();
const written = Date.now();
let mismatches = 0;
for (let k = 0; k < keys; k++) {
  backend.setCurrentKey(k);
  if (state.value() !== valueFor(k)) mismatches++;
  if (k % BATCH === BATCH - 1) await backend.maybeFlush();
}
await backend.close();
const heapLimit = v8.getHeapStatistics().heap_size_limit;
process.stdout.write(
  JSON.stringify({ keys, bytes, heapLimit, mismatches, writeMs: written - started, readMs: Date.now() - written }) + '\n',
);

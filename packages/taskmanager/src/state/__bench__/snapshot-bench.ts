/**
 * Measures keyed state snapshots: the synchronous part (what the task waits for), the asynchronous
 * part (write()), the bytes written, and the longest event-loop stall during write() (how long the
 * task thread could not run), for
 *
 *   leveldb: a full snapshot (LevelDB snapshot + iterator into a key-group file), a first incremental
 *            checkpoint (staged table files, all uploaded), then rounds of changing a fraction of the
 *            keys and taking the next incremental checkpoint; then restores: the incremental files as the same range, half the range from
 *            them, and the key-group file;
 *   heap:    a snapshot (values encoded synchronously) and its restore.
 *
 * Values are incompressible strings, so bytes on disk are the state's size.
 *
 * Run: node packages/taskmanager/lib/state/__bench__/snapshot-bench.js <leveldb|heap> <keys> <value bytes> [changed fraction] [rounds]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createKeyedStateBackend } from '../state-backend-factory.js';
import type { KeyedStateBackend } from '../keyed-state-backend.js';
import type { KeyedStateHandle, LevelDbFilesStateHandle, SnapshotOptions } from '../snapshot/keyed-state-handle.js';

const kind = (process.argv[2] ?? 'leveldb') as 'leveldb' | 'heap';
const KEYS = Number(process.argv[3] ?? 500_000);
const VALUE_BYTES = Number(process.argv[4] ?? 200);
const CHANGED = Number(process.argv[5] ?? 0.01);
const ROUNDS = Number(process.argv[6] ?? 5);
const root = mkdtempSync(join(tmpdir(), 'eddy-snapshot-bench-'));
const WHOLE = { start: 0, end: 127 };
const spec = { kind: 'value', name: 'v' } as const;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ms = (t0: number): number => Math.round(performance.now() - t0);
const du = (dir: string): number => Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]);

function value(k: number, version: number): string {
  let x = (k * 2654435761 + version * 40503) >>> 0 || 1;
  const codes = new Array<number>(VALUE_BYTES);
  for (let i = 0; i < VALUE_BYTES; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    codes[i] = 33 + ((x >>> 0) % 94);
  }
  return String.fromCharCode.apply(null, codes);
}

async function open(name: string, range = WHOLE): Promise<KeyedStateBackend> {
  return createKeyedStateBackend({ kind, dir: join(root, name), maxParallelism: 128, keyGroupRange: range });
}

async function write(b: KeyedStateBackend, keys: Iterable<number>, version: number): Promise<void> {
  const v = b.getValueState<string>('op', spec);
  let n = 0;
  for (const k of keys) {
    b.setCurrentKey(k);
    v.update(value(k, version));
    if (++n % 1000 === 0) await b.maybeFlush();
  }
  await b.flush();
}

async function measureSnapshot(label: string, b: KeyedStateBackend, id: number, options: SnapshotOptions): Promise<KeyedStateHandle> {
  const t0 = performance.now();
  const snapshot = await b.snapshot(id, join(root, `chk-${id}`), options);
  const sync = ms(t0);
  const stall = monitorEventLoopDelay({ resolution: 1 });
  stall.enable();
  const t1 = performance.now();
  const h = await snapshot.write();
  const async = ms(t1);
  stall.disable();
  const written = h.kind === 'key-groups' ? h.bytes : h.bytesWritten;
  const files = h.kind === 'leveldb-files' ? `, ${h.files.length} files (${h.files.filter((f) => f.sharedWithPrevious).length} shared with the previous)` : '';
  console.log(`${label}: sync ${sync} ms, async ${async} ms, wrote ${mb(written)}${files}, longest event-loop stall ${(stall.max / 1e6).toFixed(0)} ms`);
  return h;
}

async function measureRestore(label: string, handle: KeyedStateHandle, range = WHOLE): Promise<void> {
  const b = await open(`restore-${label.replace(/\W+/g, '-')}`, range);
  const t0 = performance.now();
  await b.restore([handle]);
  const restore = ms(t0);
  const v = b.getValueState<string>('op', spec);
  b.setCurrentKey(range.start === 0 ? 0 : 1);
  if (typeof v.value() !== 'string' && range.start === 0) throw new Error('restored state is missing');
  console.log(`restore ${label}: ${restore} ms`);
  await b.close();
}

async function main(): Promise<void> {
  console.log(`${kind}: ${KEYS} keys x ${VALUE_BYTES}-byte values (${mb(KEYS * VALUE_BYTES)} of values), ${CHANGED * 100}% changed between checkpoints`);
  const b = await open('live');
  let t0 = performance.now();
  await write(b, Array.from({ length: KEYS }, (_, k) => k), 1);
  console.log(`state written in ${ms(t0)} ms${kind === 'leveldb' ? `, database ${mb(du(join(root, 'live')))} on disk` : ''}`);

  const full = await measureSnapshot('full snapshot', b, 1, {});
  if (kind === 'heap') {
    await measureRestore('heap key-group file', full);
  } else {
    const sharedDir = join(root, 'shared');
    const first = await measureSnapshot('incremental checkpoint 1', b, 2, { sharedDir });
    b.notifyCheckpointComplete(2);
    const changed = Math.round(KEYS * CHANGED);
    let second: LevelDbFilesStateHandle | undefined;
    for (let round = 2; round <= ROUNDS + 1; round++) {
      // a different spread of keys each round, over the whole key space
      t0 = performance.now();
      await write(b, Array.from({ length: changed }, (_, i) => (Math.floor((i * KEYS) / changed) + round * 7919) % KEYS), round);
      const wrote = ms(t0);
      second = (await measureSnapshot(`incremental checkpoint ${round} (${changed} keys changed in ${wrote} ms)`, b, round + 1, { sharedDir })) as LevelDbFilesStateHandle;
      b.notifyCheckpointComplete(round + 1);
    }
    console.log(`the last checkpoint needs ${mb(second!.files.reduce((n, f) => n + f.bytes, 0))} in ${second!.files.length} files`);
    await measureRestore('incremental files, same range', first);
    await measureRestore('incremental files, half the range', second!, { start: 0, end: 63 });
    await measureRestore('key-group file', full);
    await measureRestore('key-group file, half the range', full, { start: 0, end: 63 });
  }
  await b.close();
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));

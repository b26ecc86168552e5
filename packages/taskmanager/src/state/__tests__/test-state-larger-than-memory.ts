/**
 * State larger than memory: a child process with a 48 MB old space writes and verifies at least four
 * times its heap limit of state through the LevelDB backend (a small cache in front of the disk).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './backend-fixtures.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./large-state-child.js', import.meta.url));

test('leveldb: state of four times the heap limit is written and every value read back', async (t) => {
  t.timeout(150_000);
  const dir = tempDir(t);
  const { stdout } = await run(process.execPath, ['--max-old-space-size=48', child, dir, '2000000', '200'], {
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim()) as { keys: number; bytes: number; heapLimit: number; mismatches: number; writeMs: number; readMs: number };
  t.log(`${result.keys} keys, ${(result.bytes / 2 ** 20).toFixed(0)} MB of state, heap limit ${(result.heapLimit / 2 ** 20).toFixed(0)} MB, write ${result.writeMs} ms, read ${result.readMs} ms`);
  t.is(result.keys, 2_000_000);
  t.true(result.bytes >= 4 * result.heapLimit, `${result.bytes} bytes of state < 4 x heap limit ${result.heapLimit}`);
  t.is(result.mismatches, 0);
});

/**
 * State larger than memory: a child process with a heap limit of about 19 MiB (16 MiB old space, 1 MiB
 * semi-spaces) writes and verifies at least four times its heap limit of state through the LevelDB
 * backend (a cache of 5,000 entries in front of the disk). About 7 s on a quiet 2-core machine and
 * 3x that when both cores are busy: the timeout leaves three times that again.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './backend-fixtures.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./large-state-child.js', import.meta.url));

test('leveldb: state of four times the heap limit is written and every value read back', async (t) => {
  t.timeout(90_000);
  const dir = tempDir(t);
  const { stdout } = await run(process.execPath, ['--max-old-space-size=16', '--max-semi-space-size=1', child, dir, '420000', '200'], {
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim()) as { keys: number; bytes: number; heapLimit: number; mismatches: number; writeMs: number; readMs: number };
  t.log(`${result.keys} keys, ${(result.bytes / 2 ** 20).toFixed(0)} MB of state, heap limit ${(result.heapLimit / 2 ** 20).toFixed(0)} MB, write ${result.writeMs} ms, read ${result.readMs} ms`);
  t.is(result.keys, 420_000);
  t.true(result.bytes >= 4 * result.heapLimit, `${result.bytes} bytes of state < 4 x heap limit ${result.heapLimit}`);
  t.is(result.mismatches, 0);
});

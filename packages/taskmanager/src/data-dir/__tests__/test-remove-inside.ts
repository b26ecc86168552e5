import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobStateDir, taskStateDir } from '../data-dir-layout.js';
import { removeInside } from '../remove-inside.js';

function dirs(t: { teardown(f: () => void): void }): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'eddy-remove-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const root = join(base, 'data');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'keep'), 'x');
  return { root, outside };
}

test('remove-inside: removes a folder below the root, and a missing one quietly', async (t) => {
  const { root } = dirs(t);
  mkdirSync(join(root, 'slot-0/state/j1/a'), { recursive: true });
  await removeInside(root, join(root, 'slot-0/state/j1'));
  t.false(existsSync(join(root, 'slot-0/state/j1')));
  t.true(existsSync(join(root, 'slot-0/state')));
  await t.notThrowsAsync(removeInside(root, join(root, 'slot-0/state/missing')));
});

test('remove-inside: refuses the root itself and anything outside it, as written', async (t) => {
  const { root, outside } = dirs(t);
  await t.throwsAsync(removeInside(root, root), { message: /refusing to remove/ });
  await t.throwsAsync(removeInside(root, join(root, '..', 'outside')), { message: /refusing to remove/ });
  await t.throwsAsync(removeInside(root, outside), { message: /refusing to remove/ });
  t.true(existsSync(join(outside, 'keep')));
});

test('remove-inside: refuses a path that a linked folder on the way leads outside the root', async (t) => {
  const { root, outside } = dirs(t);
  symlinkSync(outside, join(root, 'slot-0'), 'dir');
  await t.throwsAsync(removeInside(root, join(root, 'slot-0', 'keep')), { message: /refusing to remove/ });
  t.true(existsSync(join(outside, 'keep')));
});

test('remove-inside: a link at the path is removed as a link, what it points at stays', async (t) => {
  const { root, outside } = dirs(t);
  symlinkSync(outside, join(root, 'link'), 'dir');
  await removeInside(root, join(root, 'link'));
  t.false(existsSync(join(root, 'link')));
  t.true(existsSync(join(outside, 'keep')));
});

test('data-dir-layout: job ids that could leave the data directory are rejected, vertex ids stay one path component', (t) => {
  t.throws(() => jobStateDir('/data/slot-0', '../x'), { message: /not a valid job id/ });
  t.throws(() => jobStateDir('/data/slot-0', ''), { message: /not a valid job id/ });
  t.throws(() => taskStateDir('/data/slot-0', 'job1', 'v', 0, 'a/b'), { message: /not a valid attempt id/ });
  t.is(taskStateDir('/data/slot-0', 'job1', '../../../etc/My Count', 1, 'att1'), '/data/slot-0/state/job1/..%2F..%2F..%2Fetc%2FMy%20Count-1-att1');
});

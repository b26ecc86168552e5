/**
 * Restores by key-group range (rescaling): the two halves of the range restored from one snapshot
 * together equal the whole, each holds only its own key groups, and snapshots of two halves restore
 * into one backend. A restore of part of a key-group file reads only that part's blocks.
 */
import test from 'ava';
import { open } from 'node:fs/promises';
import type { KeyGroupRange } from '@eddy/common';
import { openBackend, tempDir } from './backend-fixtures.js';
import { KINDS, inRange, populate, readAll, restored, snapshotOf, testKeys } from './snapshot-fixtures.js';
import type { KeyedStateBackend } from '../keyed-state-backend.js';
import type { TableKeyedStateBackend } from '../table-keyed-state-backend.js';
import type { HeapStateTable } from '../state-table.js';
import type { LevelDbStateTable } from '../leveldb-state-table.js';
import type { KeyGroupsStateHandle } from '../snapshot/keyed-state-handle.js';
import { KeyGroupFileReader } from '../snapshot/key-group-file-reader.js';
import { KEYED_STATE_MAGIC } from '../snapshot/key-group-file.js';

const WHOLE: KeyGroupRange = { start: 0, end: 127 };
const HALVES: readonly KeyGroupRange[] = [
  { start: 0, end: 63 },
  { start: 64, end: 127 },
];
const META_KEY_GROUP = 0xffff;

/** The key groups of every entry a backend holds (state-id records left out). */
async function keyGroupsHeld(b: KeyedStateBackend): Promise<Set<number>> {
  const table = (b as TableKeyedStateBackend).table;
  const groups = new Set<number>();
  if (b.kind === 'heap') {
    (table as HeapStateTable).forEachEntry((prefix) => groups.add((prefix.charCodeAt(0) << 8) | prefix.charCodeAt(1)));
  } else {
    await b.flush();
    for await (const key of (table as LevelDbStateTable).database.keys()) groups.add(key.readUInt16BE(0));
  }
  groups.delete(META_KEY_GROUP);
  return groups;
}

const sources = [
  { kind: 'heap', options: {} },
  { kind: 'leveldb', options: {} },
  { kind: 'leveldb', incremental: true },
] as const;

for (const source of sources) {
  const label = `${source.kind}${'incremental' in source ? ' (incremental)' : ''}`;
  for (const to of KINDS) {
    test(`rescale: ${label} restored into ${to} as two halves of the range equals the whole`, async (t) => {
      const src = await openBackend(t, source.kind, { writeBufferEntries: 300 });
      const keys = testKeys(500);
      await populate(src, keys, 1);
      const whole = readAll(src, keys);
      const h = await snapshotOf(t, src, 1, 'incremental' in source ? { sharedDir: tempDir(t) } : {});
      const union: Record<string, unknown> = {};
      for (const half of HALVES) {
        const b = await restored(t, to, [h], half);
        const part = readAll(b, keys);
        t.true(Object.keys(part).length > 100, 'each half holds a good share of the keys');
        for (const [k, v] of Object.entries(part)) {
          t.false(k in union, `key ${k} in both halves`);
          union[k] = v;
        }
        for (const g of await keyGroupsHeld(b)) t.true(g >= half.start && g <= half.end, `key group ${g} restored outside [${half.start}, ${half.end}]`);
      }
      t.deepEqual(union, whole);
    });
  }
}

for (const from of KINDS) {
  for (const to of KINDS) {
    test(`rescale: snapshots of two ${from} halves restore into one ${to} backend equal to the whole`, async (t) => {
      const keys = testKeys(400);
      const handles = [];
      const expected: Record<string, unknown> = {};
      for (const [i, half] of HALVES.entries()) {
        const b = await openBackend(t, from, { keyGroupRange: half });
        const own = keys.filter((k) => inRange(k, half));
        await populate(b, own, 1 + i);
        Object.assign(expected, readAll(b, own));
        handles.push(await snapshotOf(t, b, 3, from === 'leveldb' && i === 1 ? { sharedDir: tempDir(t) } : {}));
      }
      const b = await restored(t, to, handles, WHOLE);
      t.deepEqual(readAll(b, keys), expected);
    });
  }
}

test('rescale: a restore of half a key-group file never reads the other half (a corrupt block there goes unnoticed)', async (t) => {
  const src = await openBackend(t, 'heap');
  const keys = testKeys(300);
  await populate(src, keys, 1);
  const h = (await snapshotOf(t, src, 1)) as KeyGroupsStateHandle;
  // overwrite a byte in the middle of every block of the upper half
  const reader = await KeyGroupFileReader.open(h.file, KEYED_STATE_MAGIC);
  const fh = await open(h.file, 'r+');
  for (let g = 64; g <= 127; g++) {
    const { offset, length } = reader.blockExtent(g);
    if (length > 0) await fh.write(Buffer.from([0xee]), 0, 1, offset + Math.floor(length / 2));
  }
  await fh.close();
  await reader.close();
  const lower = await restored(t, 'leveldb', [h], HALVES[0]);
  t.deepEqual(readAll(lower, keys), Object.fromEntries(Object.entries(readAll(src, keys)).filter(([k]) => inRange(JSON.parse(k), HALVES[0]!))));
  const err = await t.throwsAsync(restored(t, 'heap', [h], HALVES[1]));
  t.is(err?.name, 'CorruptSnapshotError');
  t.regex(err!.message, /key group \d+ does not match its checksum/);
});

test('rescale: handles without key groups of the range are not opened', async (t) => {
  const b = await openBackend(t, 'heap', { keyGroupRange: HALVES[0] });
  const missing: KeyGroupsStateHandle = { kind: 'key-groups', checkpointId: 1, maxParallelism: 128, keyGroupRange: HALVES[1]!, file: '/nonexistent/keyed-64-127.v1', bytes: 100 };
  await t.notThrowsAsync(b.restore([missing]));
});

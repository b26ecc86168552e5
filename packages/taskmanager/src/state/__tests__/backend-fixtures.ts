/** Fixtures shared by the state backend tests: temp-dir backends of either kind and a manual clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { assignToKeyGroup, type KeyGroupRange } from '@eddy/common';
import { createKeyedStateBackend } from '../state-backend-factory.js';
import type { KeyedStateBackend, StateBackendOptions } from '../keyed-state-backend.js';

export const FULL_RANGE: KeyGroupRange = { start: 0, end: 127 };

export class ManualClock {
  constructor(public time = 1_000_000) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** A temp directory removed when the test ends. */
export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A backend of `kind` in a fresh temp dir, closed when the test ends. */
export async function openBackend(
  t: ExecutionContext,
  kind: 'heap' | 'leveldb',
  options: Partial<StateBackendOptions> = {},
): Promise<KeyedStateBackend> {
  const backend = await createKeyedStateBackend({
    kind,
    dir: options.dir ?? tempDir(t),
    maxParallelism: 128,
    keyGroupRange: FULL_RANGE,
    ...options,
  });
  t.teardown(() => backend.close());
  return backend;
}

/** The first `n` integer keys whose key group satisfies `accept`. */
export function keysWhere(n: number, accept: (group: number) => boolean, maxParallelism = 128): number[] {
  const out: number[] = [];
  for (let k = 0; out.length < n; k++) if (accept(assignToKeyGroup(k, maxParallelism))) out.push(k);
  return out;
}

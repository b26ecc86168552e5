/**
 * Drives a Source the way the runtime does (an enumerator handing splits to readers that are polled
 * in batches), in one thread: uninterrupted, or with checkpoints at random polls and crashes that
 * restore every reader and the enumerator from the latest checkpoint, as a job restart does. A
 * checkpoint here snapshots the enumerator and every reader at the same step, which is the cut the
 * coordinator gets by answering readers 'none-yet' between its trigger and their barriers.
 */
import type { Source, SourceReader, SplitEnumerator } from '@eddy/common';

/** What a subtask emitted, in order: a record, or raw input handed to dead letters. */
export interface Emitted {
  readonly subtask: number;
  readonly dead: boolean;
  readonly value: unknown;
  /** The event time the reader gave with the record, if any. */
  readonly timestamp?: number;
}

export interface RunOptions {
  readonly parallelism: number;
  /** Unbounded sources: stop once every subtask emitted this many records (longer outputs are cut). */
  readonly limitPerSubtask?: number;
}

export interface RestoreOptions extends RunOptions {
  readonly seed: number;
  /** Chance per poll of a checkpoint, and of a crash. */
  readonly checkpointChance?: number;
  readonly crashChance?: number;
  /** Parallelism after each restore, for rescaling runs; the splits are dealt round-robin. */
  readonly restoreParallelism?: (rng: () => number) => number;
  /** Most crashes in one run. @default 8 */
  readonly maxCrashes?: number;
}

export interface RestoreRun {
  readonly emitted: Emitted[];
  readonly checkpoints: number;
  readonly crashes: number;
}

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The per-subtask sequences of an output, records only (with their timestamps when asked). */
export function recordsBySubtask(emitted: readonly Emitted[], parallelism: number, withTimestamps = false): unknown[][] {
  const out = Array.from({ length: parallelism }, () => [] as unknown[]);
  for (const e of emitted) if (!e.dead) out[e.subtask]!.push(withTimestamps ? [e.value, e.timestamp] : e.value);
  return out;
}

export async function runUninterrupted<T>(source: Source<T, unknown>, options: RunOptions): Promise<Emitted[]> {
  return (await run(source, { ...options, seed: 1, checkpointChance: 0, crashChance: 0 })).emitted;
}

export async function runWithRestores<T>(source: Source<T, unknown>, options: RestoreOptions): Promise<RestoreRun> {
  return run(source, options);
}

interface Checkpoint {
  readonly id: number;
  readonly enumerator: unknown;
  readonly readers: unknown[][];
  readonly emittedLength: number;
}

interface Subtask {
  reader: SourceReader<unknown, unknown>;
  done: boolean;
}

const json = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

async function run<T>(source: Source<T, unknown>, o: RestoreOptions): Promise<RestoreRun> {
  const rng = seededRandom(o.seed);
  let parallelism = o.parallelism;
  const emitted: Emitted[] = [];
  let enumerator: SplitEnumerator<unknown> = source.createEnumerator({ parallelism });
  let subtasks = startReaders(source, parallelism, []);
  let latest: Checkpoint | undefined;
  let checkpoints = 0;
  let crashes = 0;
  const counts = (): number[] => {
    const c = new Array<number>(parallelism).fill(0);
    for (const e of emitted) if (!e.dead && e.subtask < parallelism) c[e.subtask]!++;
    return c;
  };
  const reachedLimit = (): boolean => o.limitPerSubtask !== undefined && counts().every((c) => c >= o.limitPerSubtask!);
  for (let step = 0; ; step++) {
    if (step > 1_000_000) throw new Error('the source made no progress');
    const live = subtasks.map((s, i) => ({ s, i })).filter(({ s }) => !s.done);
    if (live.length === 0 || reachedLimit()) break;
    const { s, i } = live[Math.floor(rng() * live.length)]!;
    const output = {
      collect: (value: unknown, timestamp?: number) => void emitted.push({ subtask: i, dead: false, value, ...(timestamp === undefined ? {} : { timestamp }) }),
      deadLetter: (value: unknown) => void emitted.push({ subtask: i, dead: true, value }),
    };
    const status = s.reader.pollNext(output, 1 + Math.floor(rng() * 17));
    if (status === 'needs-split') {
      const a = enumerator.nextSplit(i);
      if (a.kind === 'split') s.reader.addSplit(json(a.split));
      else if (a.kind === 'no-more') s.done = true;
    } else if (status === 'nothing-available') {
      await (s.reader.available?.() ?? new Promise((r) => setTimeout(r, 1)));
    }
    if (rng() < (o.checkpointChance ?? 0)) {
      const id = ++checkpoints;
      latest = json({ id, enumerator: enumerator.snapshotState!(id), readers: subtasks.map((t) => t.reader.snapshotState!(id)), emittedLength: emitted.length });
    }
    if (crashes < (o.maxCrashes ?? 8) && rng() < (o.crashChance ?? 0)) {
      crashes++;
      for (const t of subtasks) t.reader.close?.();
      const before = parallelism;
      parallelism = o.restoreParallelism?.(rng) ?? parallelism;
      emitted.length = latest?.emittedLength ?? 0;
      enumerator = latest ? source.restoreEnumerator!({ parallelism }, latest.enumerator) : source.createEnumerator({ parallelism });
      // At the same parallelism every reader gets its own splits back; after a rescale they are dealt
      // round-robin (per-subtask order then means nothing, so rescaling runs compare multisets).
      const readers = latest?.readers ?? [];
      const perSubtask = parallelism === before ? readers : dealRoundRobin(readers.flat(), parallelism);
      subtasks = startReaders(source, parallelism, perSubtask);
    }
  }
  for (const t of subtasks) t.reader.close?.();
  if (o.limitPerSubtask !== undefined) return { emitted: cutToLimit(emitted, o.limitPerSubtask), checkpoints, crashes };
  return { emitted, checkpoints, crashes };
}

function startReaders<T>(source: Source<T, unknown>, parallelism: number, splits: readonly unknown[][]): Subtask[] {
  return Array.from({ length: parallelism }, (_, i) => {
    const reader = source.createReader({ subtaskIndex: i, parallelism }) as SourceReader<unknown, unknown>;
    for (const split of splits[i] ?? []) reader.addSplit(split);
    return { reader, done: false };
  });
}

function dealRoundRobin(splits: readonly unknown[], parallelism: number): unknown[][] {
  const out = Array.from({ length: parallelism }, () => [] as unknown[]);
  splits.forEach((split, k) => out[k % parallelism]!.push(split));
  return out;
}

function cutToLimit(emitted: readonly Emitted[], limit: number): Emitted[] {
  const seen = new Map<number, number>();
  return emitted.filter((e) => {
    if (e.dead) return true;
    const n = seen.get(e.subtask) ?? 0;
    seen.set(e.subtask, n + 1);
    return n < limit;
  });
}

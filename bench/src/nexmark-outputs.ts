/**
 * Normalizing and comparing Nexmark query outputs (docs/nexmark-queries.md), so that the outputs of
 * different engines (Eddy, Flink, the limit) can be checked against each other.
 *
 * - q0–q3, q5, q7, q8: a multiset of records. Each record becomes the JSON array of its field values in
 *   the documented order (extra or missing fields make it differ); the lists are sorted and compared.
 * - q4: per category, the number of outputs and the last running average (the sequence of averages may
 *   differ in order between engines when several auctions of a category close on one watermark). Pass
 *   q4 records in emission order per category (the order of lines within one part file).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const OUTPUT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  q0: ['auction', 'bidder', 'price', 'channel', 'url', 'dateTime', 'extra'],
  q1: ['auction', 'bidder', 'price', 'channel', 'url', 'dateTime', 'extra'],
  q2: ['auction', 'price'],
  q3: ['name', 'city', 'state', 'id'],
  q4: ['category', 'average'],
  q5: ['auction', 'count', 'windowStart', 'windowEnd'],
  q7: ['auction', 'price', 'bidder', 'dateTime', 'windowEnd'],
  q8: ['id', 'name', 'windowStart'],
};

function fieldsOf(query: string): readonly string[] {
  const f = OUTPUT_FIELDS[query];
  if (!f) throw new TypeError(`unknown query '${query}' (known: ${Object.keys(OUTPUT_FIELDS).join(', ')})`);
  return f;
}

/** One record as a string: its values in the documented field order. */
export function normalizeRecord(query: string, record: unknown): string {
  const fields = fieldsOf(query);
  if (record === null || typeof record !== 'object') return `!not-an-object:${JSON.stringify(record)}`;
  const r = record as Record<string, unknown>;
  const values = fields.map((f) => r[f]);
  const keys = Object.keys(r);
  const exact = keys.length === fields.length && fields.every((f) => f in r);
  return JSON.stringify(values) + (exact ? '' : ` !fields:${keys.join(',')}`);
}

/**
 * The normalized form of a query's output: sorted record strings, or for q4 one string per category
 * `[category, count, lastAverage]`, sorted.
 */
export function normalizeOutputs(query: string, records: readonly unknown[]): string[] {
  if (query === 'q4') {
    fieldsOf(query);
    const last = new Map<number, { count: number; average: unknown }>();
    for (const rec of records) {
      const r = rec as { category: number; average: unknown };
      const e = last.get(r.category);
      if (e) {
        e.count++;
        e.average = r.average;
      } else last.set(r.category, { count: 1, average: r.average });
    }
    return [...last].map(([c, e]) => JSON.stringify([c, e.count, e.average])).sort();
  }
  return records.map((r) => normalizeRecord(query, r)).sort();
}

export interface OutputComparison {
  readonly equal: boolean;
  readonly leftCount: number;
  readonly rightCount: number;
  /** Normalized entries only on the left / only on the right (multiset difference), at most `limit` each. */
  readonly onlyLeft: string[];
  readonly onlyRight: string[];
  /** One line for humans. */
  readonly summary: string;
}

/** Compares two output sets of `query` as multisets of normalized records (q4: per-category summary). */
export function compareOutputs(query: string, left: readonly unknown[], right: readonly unknown[], limit = 5): OutputComparison {
  const a = normalizeOutputs(query, left);
  const b = normalizeOutputs(query, right);
  const onlyLeft: string[] = [];
  const onlyRight: string[] = [];
  let i = 0;
  let j = 0;
  let diffLeft = 0;
  let diffRight = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) {
      if (onlyLeft.length < limit) onlyLeft.push(a[i]!);
      diffLeft++;
      i++;
    } else if (i >= a.length || b[j]! < a[i]!) {
      if (onlyRight.length < limit) onlyRight.push(b[j]!);
      diffRight++;
      j++;
    } else {
      i++;
      j++;
    }
  }
  const equal = diffLeft === 0 && diffRight === 0;
  const summary = equal
    ? `${query}: equal (${a.length} normalized records)`
    : `${query}: differ: ${a.length} vs ${b.length} normalized records, ${diffLeft} only left (e.g. ${onlyLeft[0] ?? '-'}), ${diffRight} only right (e.g. ${onlyRight[0] ?? '-'})`;
  return { equal, leftCount: a.length, rightCount: b.length, onlyLeft, onlyRight, summary };
}

/**
 * The records of a JSON-lines output: a file, or a directory whose files (e.g. FileSink's
 * `part-<subtask>.jsonl`) are read in name order, each file's lines in order.
 */
export function readOutputRecords(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => !f.startsWith('.'))
        .sort()
        .map((f) => join(path, f))
        .filter((f) => statSync(f).isFile())
    : [path];
  const out: unknown[] = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) if (line !== '') out.push(JSON.parse(line));
  }
  return out;
}

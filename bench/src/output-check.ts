/**
 * The fair comparison's "same output" rule, checked by the harness: with `--output DIR` every engine
 * writes its records under `DIR/<query>/` (Eddy: part files in `eddy/`, Flink: `flink.jsonl`, the
 * limit: `limit.jsonl`), and after a query's runs these are compared record by record, normalized as
 * docs/nexmark-queries.md says (nexmark-outputs.ts). The digest is of the sorted normalized records,
 * so equal digests mean equal outputs and can be quoted beside a figure.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { compareOutputs, normalizeOutputs, readOutputRecords } from './nexmark-outputs.js';

export type EngineName = 'eddy' | 'flink' | 'limit';

/** Where `engine` writes the outputs of one query run below `queryDir`. */
export function engineOutputPath(queryDir: string, engine: EngineName): string {
  return engine === 'eddy' ? join(queryDir, 'eddy') : join(queryDir, `${engine}.jsonl`);
}

export interface OutputCheck {
  readonly equal: boolean;
  /** One line for humans: counts, digests, and the first difference if any. */
  readonly summary: string;
}

/** Compares the outputs every engine wrote for `query` in `queryDir`, each against the first engine's. */
export function checkOutputs(query: string, queryDir: string, engines: readonly EngineName[]): OutputCheck {
  const outputs = engines.map((e) => ({ engine: e, records: readOutputRecords(engineOutputPath(queryDir, e)) }));
  const digests = outputs.map(({ engine, records }) => `${engine} ${records.length.toLocaleString('en-US')} records sha256:${digest(query, records)}`);
  const [first, ...rest] = outputs;
  const differences = first === undefined ? [] : rest
    .map((o) => ({ engine: o.engine, cmp: compareOutputs(query, o.records, first.records) }))
    .filter((x) => !x.cmp.equal)
    .map((x) => `${x.engine} vs ${first.engine}: ${x.cmp.summary}`);
  const equal = differences.length === 0;
  return { equal, summary: `${query} outputs ${equal ? 'equal' : 'DIFFER'}: ${digests.join(', ')}${equal ? '' : `; ${differences.join('; ')}`}` };
}

/** The first 16 hex digits of the sha256 of the sorted normalized records, one per line. */
export function digest(query: string, records: readonly unknown[]): string {
  return createHash('sha256').update(normalizeOutputs(query, records).join('\n')).digest('hex').slice(0, 16);
}

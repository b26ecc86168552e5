/** The harness's table: one per query, engines as rows, then the ratios. */
import type { Measurement } from './engines/measurement.js';

const n = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

export function renderQueryTable(query: string, throughput: Measurement[], latency: Measurement[]): string {
  const lines = [
    `${query}`,
    '| engine | outputs | events/s | events/s per core | CPU s | peak RSS MiB (per process) | latency p50 / p99 ms | checkpoint ms |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const m of throughput) {
    const l = latency.find((x) => x.engine === m.engine)?.latencyMs;
    const rss = m.processes.map((p) => p.peakRssMiB.toFixed(0)).join(' + ');
    const ck = m.checkpoints ? `${m.checkpoints.avgDurationMs.toFixed(0)} (${m.checkpoints.completed})` : '-';
    lines.push(`| ${m.engine} (p=${m.parallelism}) | ${n(m.outputs)} | ${n(m.eventsPerSec)}${spread(m)} | ${n(m.eventsPerCoreSecond)} | ${m.cpuSeconds.toFixed(1)} | ${rss} | ${l ? `${l.p50.toFixed(0)} / ${l.p99.toFixed(0)}` : 'n/a'} | ${ck} |`);
  }
  const eddy = throughput.find((m) => m.engine === 'eddy');
  for (const other of ['flink', 'limit'] as const) {
    const o = throughput.find((m) => m.engine === other);
    if (eddy && o) {
      lines.push(`| Eddy/${other === 'flink' ? 'Flink' : 'limit'} | | ${(eddy.eventsPerSec / o.eventsPerSec).toFixed(2)}x | ${(eddy.eventsPerCoreSecond / o.eventsPerCoreSecond).toFixed(2)}x | | | | |`);
    }
  }
  // Every engine computes the same records from the same input, so different counts void the ratios.
  if (new Set(throughput.map((m) => m.outputs)).size > 1) {
    lines.push(`outputs differ between engines (${throughput.map((m) => `${m.engine} ${n(m.outputs)}`).join(', ')}): the ratios compare different work`);
  }
  return lines.join('\n');
}

/** " (min–max)" of repeated runs, in millions of events/s; "" for a single run. */
function spread(m: Measurement): string {
  const runs = m.runsEventsPerSec;
  if (!runs || runs.length < 2) return '';
  const f = (x: number): string => (x / 1e6).toFixed(2);
  return ` (${f(Math.min(...runs))}–${f(Math.max(...runs))} M)`;
}

/** All queries in one table: Eddy beside Flink and the limit, with the ratios (the README's form). */
export function renderSummaryTable(results: readonly { query: string; throughput: Measurement[]; latency: Measurement[] }[]): string {
  const lines = [
    '| query | Eddy events/s | Flink events/s | limit events/s | Eddy/Flink | Eddy/limit | Eddy per core | Flink per core | Eddy/Flink per core | p50 / p99 ms Eddy | p50 / p99 ms Flink |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
  for (const { query, throughput, latency } of results) {
    const [eddy, flink, limit] = (['eddy', 'flink', 'limit'] as const).map((e) => throughput.find((m) => m.engine === e));
    const lat = (engine: string): string => {
      const l = latency.find((x) => x.engine === engine)?.latencyMs;
      return l ? `${l.p50.toFixed(0)} / ${l.p99.toFixed(0)}` : 'n/a';
    };
    lines.push(
      `| ${query} | ${n(eddy?.eventsPerSec ?? NaN)} | ${n(flink?.eventsPerSec ?? NaN)} | ${n(limit?.eventsPerSec ?? NaN)} | ` +
        `${ratio(eddy?.eventsPerSec, flink?.eventsPerSec)} | ${ratio(eddy?.eventsPerSec, limit?.eventsPerSec)} | ` +
        `${n(eddy?.eventsPerCoreSecond ?? NaN)} | ${n(flink?.eventsPerCoreSecond ?? NaN)} | ${ratio(eddy?.eventsPerCoreSecond, flink?.eventsPerCoreSecond)} | ${lat('eddy')} | ${lat('flink')} |`,
    );
  }
  return lines.join('\n');
}

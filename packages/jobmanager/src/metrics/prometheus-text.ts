/** Pieces of the Prometheus text exposition format (version 0.0.4): label sets and metric families. */

export type MetricType = 'gauge' | 'counter';

/** `{k="v",...}` with values escaped as the format asks (backslash, double quote, newline). */
export function labels(values: Record<string, string>): string {
  const body = Object.entries(values)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  return `{${body}}`;
}

/** The HELP and TYPE lines of a family followed by its samples. */
export function family(name: string, type: MetricType, help: string, samples: readonly string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** `eddy nexmark`: prints the Nexmark stream as JSON lines, for load tests and cross-checks. */
import { canonicalJson, generateEvent, nexmarkConfig } from '@eddy/sdk';
import { intOption, parse } from '../args.js';
import { CliError } from '../cli-error.js';

export const usage = `eddy nexmark --events N [--seed S] [--first K]

Prints Nexmark events as JSON lines, one {"person"|"auction"|"bid": {...}} object per line, in
event-id order: deterministic for a seed and event count (docs/nexmark-spec.md).

  --events N   number of events (required)
  --seed S     seed (default 42)
  --first K    first event id (default 0)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse('nexmark', argv, { events: { type: 'string' }, seed: { type: 'string' }, first: { type: 'string' } });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (values.events === undefined) throw new CliError('nexmark: --events N is required', 2);
  const events = intOption('nexmark', 'events', values.events, 0, 0);
  const first = intOption('nexmark', 'first', values.first, 0, 0);
  let cfg;
  try {
    cfg = nexmarkConfig({ events: first + events, seed: intOption('nexmark', 'seed', values.seed, 42, 0) });
  } catch (e) {
    throw new CliError(`nexmark: ${(e as Error).message}`, 2);
  }
  let chunk = '';
  for (let e = first; e < first + events; e++) {
    chunk += canonicalJson(generateEvent(cfg, e)) + '\n';
    if (chunk.length > 1 << 16) {
      if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
      chunk = '';
    }
  }
  process.stdout.write(chunk);
  return 0;
}

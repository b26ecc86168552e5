/**
 * Which connectors can take part in checkpoints, checked when a job is submitted: a job with
 * checkpointing enabled must not run a source that cannot be rewound as if its output were
 * exactly once, so the job is rejected naming the operator and what it lacks.
 */
import type { Sink, Source } from './connector-api.js';
import { ValidationError } from './errors.js';
import type { JobPlan } from './job-plan.js';

/** Why `source` cannot take part in checkpoints, or undefined when it can. */
export function sourceCheckpointGap(source: Source<unknown, unknown>): string | undefined {
  if (typeof source.restoreEnumerator !== 'function') {
    return 'it does not implement restoreEnumerator(), so its position cannot be checkpointed and restored';
  }
  return undefined;
}

/** Why `sink`'s two-phase commit is incomplete, or undefined (a sink without a committer is at-least-once). */
export function sinkCheckpointGap(sink: Sink<unknown>): string | undefined {
  const committer = typeof sink.createCommitter === 'function';
  const restore = typeof sink.restoreWriter === 'function';
  if (committer && !restore) return 'it implements createCommitter() but not restoreWriter(), so a restore could not abort its uncommitted output';
  if (restore && !committer) return 'it implements restoreWriter() but not createCommitter(), so its prepared output could never be committed';
  return undefined;
}

/** Throws a ValidationError naming the first operator that cannot take part; a no-op without checkpointing. */
export function validatePlanCheckpointing(plan: JobPlan): void {
  if (!plan.config.checkpointing) return;
  for (const node of plan.nodes) {
    const spec = node.spec;
    const gap = spec.kind === 'source' ? sourceCheckpointGap(spec.source) : spec.kind === 'sink' ? sinkCheckpointGap(spec.sink) : undefined;
    if (gap !== undefined) {
      throw new ValidationError(`${spec.kind} '${node.name}' (${node.id}) cannot take part in checkpoints: ${gap}; disable checkpointing or use another ${spec.kind}`);
    }
  }
}

/**
 * Loads a stored job artifact into the JobManager and builds its plan, which the JobManager needs for
 * the source split enumerators. Every way a bad artifact can fail becomes a ValidationError saying which.
 */
import { ValidationError, errorMessage, importJobArtifact, isJobModule, validatePlanSinks, type JobGraph, type JobPlan } from '@eddy/common';
import { requiredSlots } from '../scheduler/slot-allocation.js';

export async function loadJobPlan(artifactFile: string, graph: JobGraph, args: readonly string[]): Promise<JobPlan> {
  let mod: { default?: unknown };
  try {
    mod = await importJobArtifact(artifactFile, (s) => import.meta.resolve(s));
  } catch (e) {
    throw new ValidationError(`job artifact could not be loaded: ${errorMessage(e)}`);
  }
  const job = mod.default;
  if (!isJobModule(job)) throw new ValidationError('the job module has no default export built with defineJob()');
  const defaultParallelism = Math.max(1, requiredSlots(graph.vertices.map((v) => v.parallelism)));
  let plan: JobPlan;
  try {
    plan = job.plan(args, { defaultParallelism, defaultJobName: graph.name });
  } catch (e) {
    throw new ValidationError(`the job function failed while building its plan: ${errorMessage(e)}`);
  }
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.nodes)) {
    throw new ValidationError('the job module returned no plan: plan() must return the pipeline built by defineJob()');
  }
  const planned = new Set(plan.nodes.map((n) => n.id));
  const missing = graph.vertices.flatMap((v) => v.operators.map((o) => o.id)).filter((id) => !planned.has(id));
  if (missing.length > 0) {
    throw new ValidationError(
      `operator ${missing.map((id) => `'${id}'`).join(', ')} of the job graph is not in the job's plan: the graph and the artifact were built from different code`,
    );
  }
  validatePlanSinks(plan);
  return plan;
}

/**
 * The checkpointing and restart options are checked and carried in the job's config, but the
 * runtime does not act on them yet: no task takes a checkpoint, no JobManager restarts a job. A job
 * that asks for them must not run without them as if its output were exactly once, so the client
 * refuses it at submission. Remove this check when the coordinator and the task side are wired.
 */
import { ValidationError, type JobPlan } from '@eddy/common';

export function refuseUnbuiltRecovery(plan: JobPlan): void {
  if (plan.config.checkpointing) {
    throw new ValidationError(
      'checkpointing is not available yet: this version of Eddy checks and carries env.enableCheckpointing() but takes no checkpoints; remove the call to run the job without them',
    );
  }
  if (plan.config.restartStrategy && plan.config.restartStrategy.kind !== 'none') {
    throw new ValidationError(
      `restart strategy '${plan.config.restartStrategy.kind}' is not available yet: this version of Eddy does not restart failed jobs; remove env.setRestartStrategy() or set { kind: 'none' }`,
    );
  }
}

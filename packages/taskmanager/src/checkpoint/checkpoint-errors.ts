/** Named errors of a task's checkpoints. Kinds are checked by `name`, never by `instanceof`. */
import { EddyError } from '@eddy/common';

/**
 * The state a task was deployed with cannot be restored into it: a snapshot of another version or
 * shape, state of an operator that is not in the task's chain (it would be dropped silently), or
 * state this TaskManager cannot restore yet. `task` names the subtask (vertex and index).
 */
export class TaskRestoreError extends EddyError {
  constructor(
    readonly task: string,
    readonly reason: string,
  ) {
    super(`the checkpointed state of ${task} cannot be restored: ${reason}`, { domain: 'user' });
  }
}

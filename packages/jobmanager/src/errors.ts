/** Errors that only the JobManager raises; shared kinds (ValidationError, NotFoundError, ...) live in @eddy/common. */
import { EddyError, errorMessage } from '@eddy/common';

/** A source's split enumerator, which is user code running in the JobManager, threw. */
export class SplitEnumeratorError extends EddyError {
  constructor(
    readonly operatorId: string,
    readonly operatorName: string,
    cause: unknown,
  ) {
    super(`split enumerator of source '${operatorName}' (${operatorId}) failed: ${errorMessage(cause)}`, { cause, domain: 'user' });
  }
}

/** A checkpoint file name or path would leave the job's checkpoint directory, or crosses a symbolic link. */
export class UnsafeCheckpointPathError extends EddyError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`unsafe checkpoint path '${path}': ${reason}`, { domain: 'external' });
  }
}

/** Reading or writing checkpoint storage failed; `uri` names the file or directory. */
export class CheckpointStorageError extends EddyError {
  constructor(
    readonly operation: string,
    readonly uri: string,
    cause: unknown,
  ) {
    super(`checkpoint storage: ${operation} '${uri}' failed: ${errorMessage(cause)}`, { cause, domain: 'external' });
  }
}

/** A checkpoint's `_metadata` is unreadable, or a file it refers to is missing or differs from its record. */
export class CorruptCheckpointError extends EddyError {
  constructor(
    readonly checkpointId: number,
    readonly uri: string,
    readonly problem: string,
  ) {
    super(`checkpoint ${checkpointId} is not restorable: ${problem} (${uri})`, { domain: 'external' });
  }
}

/** Why a checkpoint did not complete. */
export type CheckpointFailureReason =
  | 'not-ready'
  | 'too-many-concurrent'
  | 'trigger-failed'
  | 'enumerator-failed'
  | 'declined'
  | 'invalid-acknowledgement'
  | 'timeout'
  | 'finalize-failed'
  | 'subsumed'
  | 'stopped';

/** A checkpoint failed or was aborted; `checkpointId` is 0 when it was refused before it got an id. */
export class CheckpointFailedError extends EddyError {
  constructor(
    readonly checkpointId: number,
    readonly reason: CheckpointFailureReason,
    readonly detail: string,
  ) {
    super(`checkpoint ${checkpointId} failed (${reason}): ${detail}`, { domain: 'internal' });
  }
}

/** A state handle (from a task's acknowledgement or a `_metadata` file) is malformed; `path` says where. */
export class InvalidStateHandleError extends EddyError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`, { domain: 'external' });
  }
}

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

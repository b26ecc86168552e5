/** Named errors of a running task. Kinds are checked by `name`, never by `instanceof`. */
import { EddyError, errorMessage } from '@eddy/common';

/**
 * What an operator wrote could not be sent on one of its outputs (e.g. a record above the network
 * frame limit). Carries the operator, like a user function's failure, so the job names it.
 */
export class OperatorOutputError extends EddyError {
  constructor(
    readonly operatorId: string,
    readonly operatorName: string,
    readonly targetVertex: string,
    cause: unknown,
  ) {
    super(`${operatorName} (${operatorId}), output to ${targetVertex}: ${errorMessage(cause)}`, { cause, domain: 'user' });
  }
}

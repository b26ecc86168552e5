/**
 * How operators call user code: a throw becomes a UserFunctionError naming the operator and fails the
 * task, or, when the operator routes errors to dead letters, the failed record goes to the
 * DEAD_LETTER_TAG side output with the error. Errors already attributed to an operator further down
 * the chain pass through untouched.
 */
import { DEAD_LETTER_TAG, errorMessage, errorStack, UserFunctionError, type DeadLetter } from '@eddy/common';
import type { Output } from './stream-operator.js';

export function isAttributed(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === 'UserFunctionError';
}

export class UserCallGuard {
  deadLetters = false;
  deadLettersRouted = 0;

  constructor(
    private readonly operatorId: string,
    private readonly operatorName: string,
    private readonly out: Output,
  ) {}

  /** Handles an error thrown by user code while processing `record`. */
  handle(e: unknown, record: unknown, timestamp: number): void {
    if (isAttributed(e)) throw e;
    if (!this.deadLetters) throw new UserFunctionError(this.operatorId, this.operatorName, e);
    this.deadLettersRouted++;
    const letter: DeadLetter = {
      record,
      error: errorMessage(e),
      stack: errorStack(e),
      operatorId: this.operatorId,
      operatorName: this.operatorName,
    };
    this.out.collectSide(DEAD_LETTER_TAG, letter, timestamp);
  }

  /** For calls not tied to one record (open, close, timers): always fails the task. */
  wrap(e: unknown): never {
    if (isAttributed(e)) throw e;
    throw new UserFunctionError(this.operatorId, this.operatorName, e);
  }
}

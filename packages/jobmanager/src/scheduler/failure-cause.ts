/**
 * What a restart strategy reads of a failure: its domain (user / external / internal) and its retry
 * hint, as fields of the error, never its message text. Errors are read structurally (by field, not
 * by class), since a failure may come from a user bundle's copy of the SDK or from a TaskManager's
 * report. An error without a hint is retried, whatever its domain, as Flink does; an error that knows
 * retrying cannot help (a job that can never run) says `retryHint: 'no-retry'`.
 */
import { errorMessage, type ErrorDomain } from '@eddy/common';

export type RetryHint = 'retry' | 'no-retry';

export interface ClassifiedFailure {
  readonly message: string;
  readonly domain: ErrorDomain;
  readonly retryHint: RetryHint;
}

const DOMAINS: readonly ErrorDomain[] = ['user', 'external', 'internal'];
const HINTS: readonly RetryHint[] = ['retry', 'no-retry'];

/** Reads `domain` and `retryHint` of an error or a failure report; unknown values fall back to internal / retry. */
export function classifyFailure(cause: unknown): ClassifiedFailure {
  const fields = typeof cause === 'object' && cause !== null ? (cause as { domain?: unknown; retryHint?: unknown; message?: unknown }) : {};
  const domain = DOMAINS.includes(fields.domain as ErrorDomain) ? (fields.domain as ErrorDomain) : 'internal';
  const retryHint = HINTS.includes(fields.retryHint as RetryHint) ? (fields.retryHint as RetryHint) : 'retry';
  const message = typeof fields.message === 'string' ? fields.message : errorMessage(cause);
  return { message, domain, retryHint };
}

/**
 * Named errors shared by every process. Kinds are checked by `name`, never by `instanceof`,
 * because user bundles carry their own copy of the SDK.
 */
export type ErrorDomain = 'user' | 'external' | 'internal';

export class EddyError extends Error {
  readonly domain: ErrorDomain;
  constructor(message: string, options: { cause?: unknown; domain?: ErrorDomain } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.domain = options.domain ?? 'internal';
  }
}

/** A job graph, an option or an argument is invalid; the message says exactly what. */
export class ValidationError extends EddyError {
  constructor(message: string) {
    super(message, { domain: 'user' });
  }
}

export class NotFoundError extends EddyError {
  constructor(message: string) {
    super(message, { domain: 'user' });
  }
}

export class UnauthenticatedError extends EddyError {
  constructor(message: string) {
    super(message, { domain: 'user' });
  }
}

export class IllegalStateError extends EddyError {}

/** A user function threw; carries where. */
export class UserFunctionError extends EddyError {
  constructor(
    readonly operatorId: string,
    readonly operatorName: string,
    cause: unknown,
  ) {
    super(`${operatorName} (${operatorId}) threw: ${errorMessage(cause)}`, { cause, domain: 'user' });
  }
}

/**
 * A peer process could not be reached or went away. `kind` tells a peer that cannot be reached at all
 * (`'unreachable'`: connection refused or dropped, which callers may take as a sign that the process is
 * gone) from one that did not answer in time (`'deadline'`: it may only be slow).
 */
export class UnavailableError extends EddyError {
  constructor(
    message: string,
    cause?: unknown,
    readonly kind: 'unreachable' | 'deadline' = 'unreachable',
  ) {
    super(message, { cause, domain: 'external' });
  }
}

/** True for an UnavailableError whose peer could not be reached at all (not merely slow). */
export function isUnreachableError(e: unknown): boolean {
  return isErrorNamed(e, 'UnavailableError') && (e as { kind?: unknown }).kind === 'unreachable';
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function errorStack(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

export function isErrorNamed(e: unknown, name: string): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
}

/** An error the CLI reports as one line on stderr, with its exit code (2 = usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * `e` as a CliError: a CliError passes through unchanged (it already carries its command prefix and
 * its exit code, which may be 2 for usage), anything else is a failure (exit 1) prefixed once.
 */
export function toCliError(e: unknown, prefix?: string): CliError {
  if ((e as { name?: unknown }).name === 'CliError') return e as CliError;
  const message = e instanceof Error ? e.message : String(e);
  const prefixed = prefix === undefined || message.startsWith(`${prefix}: `) ? message : `${prefix}: ${message}`;
  return new CliError(prefixed);
}

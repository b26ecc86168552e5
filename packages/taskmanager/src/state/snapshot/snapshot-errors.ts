/**
 * Named errors of state snapshots and restores. Kinds are checked by `name` (see `isErrorNamed` in
 * `@eddy/common`), never by `instanceof`.
 */
import { EddyError } from '@eddy/common';

/**
 * A snapshot file cannot be used: missing, truncated, of another format or version, or its bytes do
 * not match their checksums. `file` is the path of the file, so an operator can find and inspect it.
 */
export class CorruptSnapshotError extends EddyError {
  constructor(
    readonly file: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`state snapshot file ${file} cannot be restored: ${reason}`, { cause, domain: 'external' });
  }
}

/**
 * A snapshot is valid but does not fit the backend it is restored into: another max parallelism (key
 * groups would move), or a restore into a backend that already holds state.
 */
export class IncompatibleSnapshotError extends EddyError {
  constructor(message: string) {
    super(message, { domain: 'user' });
  }
}

/**
 * A snapshot was asked for while another one holds the resource it needs (an incremental LevelDB
 * snapshot closes the database, which would end a full snapshot's iterator). The checkpoint is
 * declined; a later one succeeds.
 */
export class SnapshotConflictError extends EddyError {
  constructor(message: string) {
    super(message, { domain: 'internal' });
  }
}

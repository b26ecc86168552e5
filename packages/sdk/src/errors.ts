/**
 * Named errors of the SDK's connectors. Kinds are checked by `name` (isErrorNamed), never by
 * `instanceof`: user bundles carry their own copy of the SDK.
 */
import { EddyError } from '@eddy/common';

/**
 * A checkpointed split or enumerator state that a source cannot go on from: the state of another
 * kind of source, a file that changed since the checkpoint, or a damaged checkpoint.
 */
export class SourceRestoreError extends EddyError {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: cannot restore from the checkpoint: ${detail}`, { domain: 'user' });
  }
}

/** A committable of a two-phase-commit sink whose data is neither pending nor committed. */
export class CommitError extends EddyError {
  constructor(
    readonly sink: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`${sink}: commit failed: ${detail}`, { cause, domain: 'external' });
  }
}

/**
 * Named errors of the data-exchange layer. Kinds are checked by `name` (see `isErrorNamed` in
 * `@eddy/common`), never by `instanceof`.
 */
import { EddyError } from '@eddy/common';

/** The peer sent bytes that are not a valid frame sequence (garbage, oversized, out of protocol). */
export class FrameFormatError extends EddyError {
  constructor(message: string) {
    super(message, { domain: 'external' });
  }
}

/**
 * A data channel between a producer subtask and a consumer subtask failed: the connection was
 * refused or lost, or closed before END_OF_PARTITION. `channel` is the channel index on the side
 * that reports it (the consumer subtask index for a partition, the producer index for a gate).
 */
export class DataChannelError extends EddyError {
  constructor(
    message: string,
    readonly taskKey: string,
    readonly gateIndex: number,
    readonly channel: number,
    cause?: unknown,
  ) {
    super(message, { cause, domain: 'external' });
  }
}

/**
 * A batch of records encodes to a frame above the receivers' frame limit, so it cannot be sent: the
 * receiver would close the connection. Raised by the producer, which knows which operator wrote it.
 */
export class RecordTooLargeError extends EddyError {
  constructor(
    readonly frameBytes: number,
    readonly maxFrameBytes: number,
    readonly records: number,
  ) {
    super(
      `${records === 1 ? 'a record encodes' : `a batch of ${records} records encodes`} to ${frameBytes.toLocaleString('en-US')} bytes, ` +
        `above the network frame limit of ${maxFrameBytes.toLocaleString('en-US')} bytes (${Math.floor(maxFrameBytes / 2 ** 20)} MiB): ` +
        'records this large cannot cross the network; make them smaller, or keep the operator that consumes them chained to the one that makes them',
      { domain: 'user' },
    );
  }
}

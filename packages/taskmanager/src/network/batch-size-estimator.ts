/**
 * How many records fill one network buffer, learned from the encoded sizes of past batches.
 */

/** Records in the first batch, before anything was measured. */
const INITIAL_TARGET_RECORDS = 64;
const MAX_TARGET_RECORDS = 1 << 16;
/** Weight of the newest batch in the moving average of bytes per record. */
const SMOOTHING = 0.3;

/**
 * Keeps an exponential moving average of encoded bytes per record and turns it into the number of
 * records that makes a batch of about `bufferSizeBytes`.
 *
 * Invariants: 1 <= targetRecords <= 65536; a batch is only ever cut by count, so the estimator
 * never needs a per-record size (which would cost a per-record encode).
 */
export class BatchSizeEstimator {
  private bytesPerRecord = 0;
  targetRecords = INITIAL_TARGET_RECORDS;

  constructor(private readonly bufferSizeBytes: number) {}

  observe(records: number, bytes: number): void {
    if (records === 0) return;
    const sample = bytes / records;
    this.bytesPerRecord = this.bytesPerRecord === 0 ? sample : this.bytesPerRecord * (1 - SMOOTHING) + sample * SMOOTHING;
    const target = Math.floor(this.bufferSizeBytes / this.bytesPerRecord);
    this.targetRecords = Math.max(1, Math.min(MAX_TARGET_RECORDS, target));
  }
}

/**
 * Writes one key-grouped snapshot file (layout in key-group-file.ts) front to back: the header, then
 * the blocks of key groups in ascending order as the caller encodes their entries into `out`, then
 * the index and trailer, then fsync. Entries accumulate in `out` and are written out once it holds
 * SLICE_BYTES, so memory stays bounded for any key-group size and each awaited write lets the task
 * thread run between slices (the writes themselves run on libuv's thread pool).
 *
 * Usage: beginGroup(g); per entry: encode into out, entryAdded(), `if (w.full) await w.drain()`;
 * await endGroup(); ...; await finish(). abort() closes and deletes the file. Single-threaded.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { IllegalStateError } from '@eddy/common';
import { ByteBuilder } from './byte-builder.js';
import { FORMAT_VERSION, TRAILER_MAGIC, rangeSize, type KeyGroupFileMeta } from './key-group-file.js';

export const SLICE_BYTES = 1 << 20;

export class KeyGroupFileWriter {
  /** Entry bytes of the current key group not yet written. */
  readonly out = new ByteBuilder(SLICE_BYTES + (SLICE_BYTES >> 2));
  private offset = 0;
  private readonly offsets: Float64Array;
  private readonly lengths: Uint32Array;
  private group = -1;
  private lastGroup = -1;
  private groupStart = 0;
  private groupCount = 0;
  private groupCrc = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private readonly meta: KeyGroupFileMeta,
  ) {
    const n = rangeSize(meta.keyGroupRange);
    this.offsets = new Float64Array(n);
    this.lengths = new Uint32Array(n);
  }

  /** Creates `path` (which must not exist) and writes the header with `body`. */
  static async create(path: string, magic: string, meta: KeyGroupFileMeta, body: Uint8Array): Promise<KeyGroupFileWriter> {
    const fh = await open(path, 'wx');
    const w = new KeyGroupFileWriter(path, fh, meta);
    try {
      const h = new ByteBuilder(64 + body.length);
      h.latin1(magic);
      h.u16(FORMAT_VERSION);
      h.u32(meta.maxParallelism);
      h.u32(meta.keyGroupRange.start);
      h.u32(meta.keyGroupRange.end);
      h.f64(meta.checkpointId);
      h.u32(body.length);
      h.bytes(body);
      h.u32(crc32(h.view()));
      await w.writeRaw(h.view());
    } catch (err) {
      await w.abort();
      throw err;
    }
    return w;
  }

  /** Bytes written to the file so far. */
  get bytesWritten(): number {
    return this.offset;
  }

  /** True when `out` should be drained before more entries are encoded. */
  get full(): boolean {
    return this.out.length >= SLICE_BYTES;
  }

  beginGroup(keyGroup: number): void {
    const { start, end } = this.meta.keyGroupRange;
    if (this.group >= 0) throw new IllegalStateError('beginGroup() before endGroup() of the previous key group');
    if (keyGroup < start || keyGroup > end) throw new IllegalStateError(`key group ${keyGroup} is outside the file's range [${start}, ${end}]`);
    if (keyGroup <= this.lastGroup) {
      throw new IllegalStateError(`key group ${keyGroup} after ${this.lastGroup}: key groups must come in ascending order, once each`);
    }
    this.group = keyGroup;
    this.groupStart = this.offset;
    this.groupCount = 0;
    this.groupCrc = 0;
  }

  entryAdded(): void {
    this.groupCount++;
  }

  /** Writes the entries in `out` to the file. */
  async drain(): Promise<void> {
    if (this.out.length === 0) return;
    const bytes = this.out.view();
    this.groupCrc = crc32(bytes, this.groupCrc);
    await this.writeRaw(bytes);
    this.out.reset();
  }

  async endGroup(): Promise<void> {
    if (this.group < 0) throw new IllegalStateError('endGroup() without beginGroup()');
    this.out.u32(this.groupCount);
    await this.drain();
    const tail = Buffer.allocUnsafe(4);
    tail.writeUInt32BE(this.groupCrc);
    await this.writeRaw(tail);
    const i = this.group - this.meta.keyGroupRange.start;
    this.offsets[i] = this.groupStart;
    this.lengths[i] = this.offset - this.groupStart;
    this.lastGroup = this.group;
    this.group = -1;
  }

  /** Writes the index and trailer, syncs and closes; returns the file's size. */
  async finish(): Promise<number> {
    if (this.group >= 0) throw new IllegalStateError('finish() before endGroup()');
    try {
      const indexOffset = this.offset;
      const index = new ByteBuilder(this.lengths.length * 12 + 32);
      for (let i = 0; i < this.lengths.length; i++) {
        index.u64(this.offsets[i]!);
        index.u32(this.lengths[i]!);
      }
      index.u32(crc32(index.view()));
      const indexLength = index.length;
      index.u64(indexOffset);
      index.u32(indexLength);
      index.latin1(TRAILER_MAGIC);
      await this.writeRaw(index.view());
      await this.fh.sync();
    } catch (err) {
      await this.abort();
      throw err;
    }
    this.closed = true;
    await this.fh.close();
    return this.offset;
  }

  /** Closes and deletes the file (a failed or discarded snapshot). */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await rm(this.path, { force: true });
  }

  private async writeRaw(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, this.offset);
      done += bytesWritten;
      this.offset += bytesWritten;
    }
  }
}

/**
 * Reads a key-grouped snapshot file (layout in key-group-file.ts). open() checks the trailer, the
 * header and the index with their checksums before anything is trusted; readGroup() reads and checks
 * one key group's block, so a restore for part of the range reads only that part. Every problem —
 * missing, truncated, wrong magic or version, bad checksum, an offset out of bounds — is a
 * CorruptSnapshotError that names the file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { ByteReader } from './byte-builder.js';
import {
  BLOCK_TAIL_BYTES,
  FORMAT_VERSION,
  HEADER_FIXED_BYTES,
  INDEX_ENTRY_BYTES,
  TRAILER_BYTES,
  TRAILER_MAGIC,
  rangeSize,
  type KeyGroupFileMeta,
} from './key-group-file.js';
import { CorruptSnapshotError } from './snapshot-errors.js';

/** The entries of one key group's block and how many there are. */
export interface KeyGroupBlock {
  readonly entries: Buffer;
  readonly count: number;
}

export class KeyGroupFileReader implements KeyGroupFileMeta {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly maxParallelism: number,
    readonly keyGroupRange: { start: number; end: number },
    readonly checkpointId: number,
    /** The content-specific header body. */
    readonly body: Buffer,
    private readonly offsets: Float64Array,
    private readonly lengths: Uint32Array,
  ) {}

  /** Opens and checks `path`, whose header must carry `magic`. */
  static async open(path: string, magic: string): Promise<KeyGroupFileReader> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      throw new CorruptSnapshotError(path, `the file cannot be opened (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
    }
    try {
      return await KeyGroupFileReader.check(path, fh, magic);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  private static async check(path: string, fh: FileHandle, magic: string): Promise<KeyGroupFileReader> {
    const fail = (reason: string): never => {
      throw new CorruptSnapshotError(path, reason);
    };
    const size = (await fh.stat()).size;
    if (size < HEADER_FIXED_BYTES + 4 + TRAILER_BYTES) fail(`the file is truncated: ${size} bytes is shorter than an empty snapshot`);
    const trailer = await readAt(fh, size - TRAILER_BYTES, TRAILER_BYTES, path);
    if (trailer.toString('latin1', 12, 16) !== TRAILER_MAGIC) fail('the file is truncated or not a snapshot file: it does not end with a snapshot trailer');
    const t = new ByteReader(trailer, fail);
    const indexOffset = t.u64('the index offset');
    const indexLength = t.u32('the index length');

    const fixed = new ByteReader(await readAt(fh, 0, HEADER_FIXED_BYTES, path), fail);
    const fileMagic = fixed.bytes(4, 'the magic').toString('latin1');
    if (fileMagic !== magic) fail(`it is not a ${magic} snapshot file (its magic is ${JSON.stringify(fileMagic)})`);
    const version = fixed.u16('the format version');
    if (version !== FORMAT_VERSION) fail(`format version ${version} is not supported (this build reads version ${FORMAT_VERSION})`);
    const maxParallelism = fixed.u32('the max parallelism');
    const start = fixed.u32('the key-group range');
    const end = fixed.u32('the key-group range');
    const checkpointId = fixed.f64('the checkpoint id');
    const bodyLength = fixed.u32('the header length');
    const headerEnd = HEADER_FIXED_BYTES + bodyLength + 4;
    if (headerEnd > indexOffset || indexOffset + indexLength + TRAILER_BYTES !== size) {
      fail(`the header (${headerEnd} bytes) and the index (at ${indexOffset}, ${indexLength} bytes) do not fit the file's ${size} bytes`);
    }
    const header = await readAt(fh, 0, headerEnd, path);
    if (crc32(header.subarray(0, headerEnd - 4)) !== header.readUInt32BE(headerEnd - 4)) fail('the header does not match its checksum');
    const body = header.subarray(HEADER_FIXED_BYTES, HEADER_FIXED_BYTES + bodyLength);

    const groups = rangeSize({ start, end });
    if (indexLength !== groups * INDEX_ENTRY_BYTES + 4) fail(`the index has ${indexLength} bytes, not the ${groups * INDEX_ENTRY_BYTES + 4} of ${groups} key groups`);
    const index = await readAt(fh, indexOffset, indexLength, path);
    if (crc32(index.subarray(0, indexLength - 4)) !== index.readUInt32BE(indexLength - 4)) fail('the key-group index does not match its checksum');
    const r = new ByteReader(index, fail);
    const offsets = new Float64Array(groups);
    const lengths = new Uint32Array(groups);
    for (let i = 0; i < groups; i++) {
      offsets[i] = r.u64('the index');
      lengths[i] = r.u32('the index');
      const len = lengths[i]!;
      if (len !== 0 && (len < BLOCK_TAIL_BYTES || offsets[i]! < headerEnd || offsets[i]! + len > indexOffset)) {
        fail(`key group ${start + i} has a block (at ${offsets[i]}, ${len} bytes) outside the file's blocks`);
      }
    }
    return new KeyGroupFileReader(path, fh, maxParallelism, { start, end }, checkpointId, body, offsets, lengths);
  }

  /** Where the block of `keyGroup` lies in the file (length 0: no entries), for tools and tests. */
  blockExtent(keyGroup: number): { offset: number; length: number } {
    const i = keyGroup - this.keyGroupRange.start;
    if (i < 0 || keyGroup > this.keyGroupRange.end) return { offset: 0, length: 0 };
    return { offset: this.offsets[i]!, length: this.lengths[i]! };
  }

  /** The checked block of `keyGroup`, undefined when the group has no entries or is outside the range. */
  async readGroup(keyGroup: number): Promise<KeyGroupBlock | undefined> {
    const i = keyGroup - this.keyGroupRange.start;
    if (i < 0 || keyGroup > this.keyGroupRange.end || this.lengths[i] === 0) return undefined;
    const len = this.lengths[i]!;
    const block = await readAt(this.fh, this.offsets[i]!, len, this.path);
    if (crc32(block.subarray(0, len - 4)) !== block.readUInt32BE(len - 4)) {
      throw new CorruptSnapshotError(this.path, `the block of key group ${keyGroup} does not match its checksum`);
    }
    return { entries: block.subarray(0, len - BLOCK_TAIL_BYTES), count: block.readUInt32BE(len - BLOCK_TAIL_BYTES) };
  }

  /** A CorruptSnapshotError about this file (for the content decoders). */
  corrupt(reason: string): never {
    throw new CorruptSnapshotError(this.path, reason);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

async function readAt(fh: FileHandle, position: number, length: number, path: string): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) {
      throw new CorruptSnapshotError(path, `the file ends at byte ${position + done}, before the ${length} bytes at ${position}`);
    }
    done += bytesRead;
  }
  return buf;
}

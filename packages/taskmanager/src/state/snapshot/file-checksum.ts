/**
 * CRC-32 of whole files, computed while copying them (uploads) or by reading them (restores), in
 * 1 MiB chunks so the task thread runs between chunks. LevelDB does not check its table files'
 * checksums when it opens them, so without this a damaged file of the right size would restore.
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const CHUNK = 1 << 20;

/** Copies `from` to a new file `to`, fsyncs it, and returns the CRC-32 and size of the bytes copied. */
export async function copyWithChecksum(from: string, to: string): Promise<{ crc32: number; bytes: number }> {
  const src = await open(from, 'r');
  try {
    const dst = await open(to, 'wx');
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      let crc = 0;
      let bytes = 0;
      for (;;) {
        const { bytesRead } = await src.read(buf, 0, CHUNK, bytes);
        if (bytesRead === 0) break;
        const chunk = buf.subarray(0, bytesRead);
        crc = crc32(chunk, crc);
        let done = 0;
        while (done < bytesRead) done += (await dst.write(chunk, done, bytesRead - done, bytes + done)).bytesWritten;
        bytes += bytesRead;
      }
      await dst.sync();
      return { crc32: crc, bytes };
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

/** The CRC-32 of a file's bytes. */
export async function checksumOf(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let crc = 0;
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) return crc;
      crc = crc32(buf.subarray(0, bytesRead), crc);
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The reader of FileSource: reads a file in chunks with synchronous reads, decodes each chunk once and
 * splits it into lines, so the hot path does no per-line byte work. Positions are worked out only
 * when a checkpoint asks: '\n' is a single byte that never occurs inside a UTF-8 sequence, so the
 * k-th newline of the decoded text is the k-th 0x0A byte of the chunk, and the byte offset of the
 * next line follows from the chunk itself (also with invalid UTF-8, whose decoded length differs).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ReaderStatus, SourceOutput, SourceReader } from '@eddy/common';
import { SourceRestoreError } from '../errors.js';

export type LineFormat = 'text' | 'jsonl';

export interface FileSplit {
  readonly path: string;
  /** Byte offset of the next line to read: 0 or just after a '\n'. @default 0 */
  readonly offset?: number;
  /** Lines before `offset` (so errors name the right line after a restore). @default 0 */
  readonly line?: number;
}

const NEWLINE = 0x0a;

export class FileLineReader<T> implements SourceReader<T, FileSplit> {
  private readonly queued: FileSplit[] = [];
  private fd: number | undefined;
  private path = '';
  private lineNo = 0;
  /** File offset of the next byte to read. */
  private readPos = 0;
  /** buf[0, chunkLen) holds the file's bytes from chunkStart on. */
  private chunkStart = 0;
  private chunkLen = 0;
  /** File offsets where lines[0] and the carry (the unfinished last line) begin. */
  private linesStart = 0;
  private carryStart = 0;
  private carry = '';
  private lines: string[] = [];
  private lineIdx = 0;
  private eof = false;
  private readonly buf: Buffer;
  private decoder = new StringDecoder('utf8');

  constructor(
    private readonly format: LineFormat,
    chunkBytes: number,
    private readonly name: string,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  addSplit(split: FileSplit): void {
    const s = checkFileSplit(split, this.name);
    if (this.fd === undefined) this.open(s);
    else this.queued.push(s);
  }

  snapshotState(): FileSplit[] {
    // A file read to its end is finished even before the poll that closes it notices: left out,
    // as the contract asks (its end offset may not follow a newline).
    const finished = this.fd === undefined || (this.eof && this.lineIdx >= this.lines.length);
    const current = finished ? [] : [{ path: this.path, offset: this.nextLineOffset(), line: this.lineNo }];
    return [...current, ...this.queued];
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus {
    if (this.fd === undefined) return 'needs-split';
    let n = 0;
    while (n < maxRecords) {
      if (this.lineIdx >= this.lines.length && !this.fill()) {
        closeSync(this.fd!);
        this.fd = undefined;
        const next = this.queued.shift();
        if (next === undefined) return 'needs-split';
        this.open(next);
        continue;
      }
      const lines = this.lines;
      for (; this.lineIdx < lines.length && n < maxRecords; this.lineIdx++) {
        this.lineNo++;
        let line = lines[this.lineIdx]!;
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (this.format === 'text') {
          output.collect(line as T);
          n++;
        } else if (line.trim() !== '') {
          let record: T;
          try {
            record = this.parse(line);
          } catch (e) {
            if (!output.deadLetter) throw e;
            output.deadLetter(line, e as Error);
            continue;
          }
          output.collect(record);
          n++;
        }
      }
    }
    return 'more';
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.queued.length = 0;
  }

  private open(split: FileSplit): void {
    const offset = split.offset ?? 0;
    const fd = openSync(split.path, 'r');
    try {
      if (offset > 0) this.checkLineStart(fd, split.path, offset);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.fd = fd;
    this.path = split.path;
    this.lineNo = split.line ?? 0;
    this.readPos = this.chunkStart = this.linesStart = this.carryStart = offset;
    this.chunkLen = 0;
    this.carry = '';
    this.lines = [];
    this.lineIdx = 0;
    this.eof = false;
    this.decoder = new StringDecoder('utf8');
  }

  /** A checkpointed offset is just after a newline of the same file; anything else means it changed. */
  private checkLineStart(fd: number, path: string, offset: number): void {
    const size = fstatSync(fd).size;
    const before = Buffer.alloc(1);
    if (offset > size || readSync(fd, before, 0, 1, offset - 1) !== 1 || before[0] !== NEWLINE) {
      throw new SourceRestoreError(this.name, `offset ${offset} of ${path} (${size} bytes) is not the start of a line: the file changed since the checkpoint`);
    }
  }

  private parse(line: string): T {
    try {
      return JSON.parse(line) as T;
    } catch (e) {
      throw new Error(`malformed JSON at ${this.path}:${this.lineNo}: ${(e as Error).message}`);
    }
  }

  /** Reads the next chunk into complete lines; false at end of file with nothing left. */
  private fill(): boolean {
    if (this.eof) return false;
    const read = readSync(this.fd!, this.buf, 0, this.buf.length, this.readPos);
    this.lineIdx = 0;
    this.linesStart = this.carryStart;
    this.chunkStart = this.readPos;
    this.chunkLen = read;
    this.readPos += read;
    if (read === 0) {
      this.eof = true;
      const rest = this.carry + this.decoder.end();
      this.carry = '';
      this.lines = rest === '' ? [] : [rest];
      return this.lines.length > 0;
    }
    const text = this.carry + this.decoder.write(this.buf.subarray(0, read));
    const parts = text.split('\n');
    this.carry = parts.pop()!;
    this.lines = parts;
    if (parts.length > 0) this.carryStart = this.chunkStart + this.buf.lastIndexOf(NEWLINE, read - 1) + 1;
    return true;
  }

  /** Byte offset of lines[lineIdx]: after the lineIdx-th newline of the chunk (the file's end after the last line). */
  private nextLineOffset(): number {
    if (this.lineIdx === 0) return this.linesStart;
    const chunk = this.buf.subarray(0, this.chunkLen);
    let at = -1;
    for (let k = 0; k < this.lineIdx; k++) {
      at = chunk.indexOf(NEWLINE, at + 1);
      if (at < 0) return this.chunkStart + this.chunkLen;
    }
    return this.chunkStart + at + 1;
  }
}

/** `v` as a file split, or a SourceRestoreError saying why it is none. */
export function checkFileSplit(v: unknown, source: string): FileSplit {
  const s = v as Partial<FileSplit> | null;
  const count = (x: unknown): boolean => x === undefined || (Number.isInteger(x) && (x as number) >= 0);
  if (typeof s !== 'object' || s === null || typeof s.path !== 'string' || s.path === '' || !count(s.offset) || !count(s.line)) {
    throw new SourceRestoreError(source, `${JSON.stringify(v)} is not a file split ({ path, offset, line } with non-negative integers)`);
  }
  return { path: s.path, offset: s.offset ?? 0, line: s.line ?? 0 };
}

/**
 * Reads files line by line: one split per file. `text` emits each line as a string, `jsonl` parses
 * each non-empty line as JSON. The enumerator (in the JobManager) lists the files; readers (in tasks)
 * read them in 1 MiB chunks with synchronous reads, so a poll never awaits.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ReaderStatus, Source, SourceOutput, SourceReader, SplitAssignment, SplitEnumerator } from '@eddy/common';

export type LineFormat = 'text' | 'jsonl';

export interface FileSplit {
  readonly path: string;
}

export class FileSource<T = string> implements Source<T, FileSplit> {
  readonly boundedness = 'bounded' as const;
  private readonly path: string;

  private constructor(path: string, private readonly format: LineFormat) {
    this.path = resolve(path);
  }

  /** Lines of a file, or of every file in a directory (sorted by name, hidden files skipped). */
  static forPath(path: string, options: { format?: 'text' }): FileSource<string>;
  static forPath<T = unknown>(path: string, options: { format: 'jsonl' }): FileSource<T>;
  static forPath(path: string): FileSource<string>;
  static forPath(path: string, options: { format?: LineFormat } = {}): FileSource<unknown> {
    if (typeof path !== 'string' || path === '') throw new TypeError('FileSource.forPath() needs a path');
    return new FileSource(path, options.format ?? 'text');
  }

  createEnumerator(): SplitEnumerator<FileSplit> {
    return new FileEnumerator(listFiles(this.path));
  }

  createReader(): SourceReader<T, FileSplit> {
    return new LineReader<T>(this.format);
  }

  describe(): string {
    return `${this.format} file(s) at ${this.path}`;
  }
}

function listFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`FileSource: no such file or directory: ${path}`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => !f.startsWith('.') && !f.startsWith('_'))
    .sort()
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

class FileEnumerator implements SplitEnumerator<FileSplit> {
  constructor(private readonly files: string[]) {}
  nextSplit(): SplitAssignment<FileSplit> {
    const path = this.files.shift();
    return path === undefined ? { kind: 'no-more' } : { kind: 'split', split: { path } };
  }
}

const CHUNK = 1 << 20;

class LineReader<T> implements SourceReader<T, FileSplit> {
  private fd: number | undefined;
  private path = '';
  private lineNo = 0;
  private carry = '';
  private lines: string[] = [];
  private lineIdx = 0;
  private eof = false;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private decoder = new StringDecoder('utf8');

  constructor(private readonly format: LineFormat) {}

  addSplit(split: FileSplit): void {
    this.path = split.path;
    this.fd = openSync(split.path, 'r');
    this.lineNo = 0;
    this.carry = '';
    this.lines = [];
    this.lineIdx = 0;
    this.eof = false;
    this.decoder = new StringDecoder('utf8');
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): ReaderStatus {
    if (this.fd === undefined) return 'needs-split';
    let n = 0;
    while (n < maxRecords) {
      if (this.lineIdx >= this.lines.length && !this.fill()) {
        closeSync(this.fd);
        this.fd = undefined;
        return 'needs-split';
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
    const read = readSync(this.fd!, this.buf, 0, CHUNK, null);
    this.lineIdx = 0;
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
    return true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

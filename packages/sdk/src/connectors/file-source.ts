/**
 * Reads files line by line: one split per file. `text` emits each line as a string, `jsonl` parses
 * each non-empty line as JSON. The enumerator (in the JobManager) lists the files; readers (in tasks)
 * read them in chunks (1 MiB by default) with synchronous reads, so a poll never awaits.
 *
 * Checkpoints: a split is a file with the byte offset of its next unread line (and that line's
 * number, for error messages), so a restored reader starts at a line boundary and re-emits nothing.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Source, SourceReader, SourceReaderContext, SplitAssignment, SplitEnumerator, SplitEnumeratorContext } from '@eddy/common';
import { SourceRestoreError } from '../errors.js';
import { checkFileSplit, FileLineReader, type FileSplit, type LineFormat } from './file-line-reader.js';

export type { FileSplit, LineFormat } from './file-line-reader.js';

export interface FileSourceOptions<F extends LineFormat = LineFormat> {
  /** @default 'text' */
  readonly format?: F;
  /** Bytes read from a file at a time. @default 1048576 (1 MiB) */
  readonly readChunkBytes?: number;
}

/** What a file enumerator checkpoints: the splits not handed out yet, in the order it hands them out. */
export interface FileEnumeratorState {
  readonly v: 1;
  readonly pending: readonly FileSplit[];
}

const DEFAULT_CHUNK = 1 << 20;

export class FileSource<T = string> implements Source<T, FileSplit, FileEnumeratorState> {
  readonly boundedness = 'bounded' as const;
  private readonly path: string;

  private constructor(
    path: string,
    private readonly format: LineFormat,
    private readonly chunkBytes: number,
  ) {
    this.path = resolve(path);
  }

  /** Lines of a file, or of every file in a directory (sorted by name, hidden files skipped). */
  static forPath(path: string, options: FileSourceOptions<'text'>): FileSource<string>;
  static forPath<T = unknown>(path: string, options: FileSourceOptions<'jsonl'> & { format: 'jsonl' }): FileSource<T>;
  static forPath(path: string): FileSource<string>;
  static forPath(path: string, options: FileSourceOptions = {}): FileSource<unknown> {
    if (typeof path !== 'string' || path === '') throw new TypeError('FileSource.forPath() needs a path');
    const chunk = options.readChunkBytes ?? DEFAULT_CHUNK;
    if (!Number.isInteger(chunk) || chunk < 1) throw new TypeError(`FileSource: readChunkBytes must be a positive integer, got ${chunk}`);
    return new FileSource(path, options.format ?? 'text', chunk);
  }

  createEnumerator(_ctx?: SplitEnumeratorContext): SplitEnumerator<FileSplit, FileEnumeratorState> {
    return new FileEnumerator(listFiles(this.path).map((path) => ({ path, offset: 0, line: 0 })));
  }

  /** The files still to hand out are the checkpoint's, not a new listing: a restored job reads what it would have read. */
  restoreEnumerator(_ctx: SplitEnumeratorContext, state: FileEnumeratorState): SplitEnumerator<FileSplit, FileEnumeratorState> {
    const s = state as Partial<FileEnumeratorState> | null;
    if (typeof s !== 'object' || s === null || s.v !== 1 || !Array.isArray(s.pending)) {
      throw new SourceRestoreError(this.describe(), 'the enumerator state is not a file enumerator state of version 1');
    }
    return new FileEnumerator(s.pending.map((p) => checkFileSplit(p, this.describe())));
  }

  createReader(_ctx?: SourceReaderContext): SourceReader<T, FileSplit> {
    return new FileLineReader<T>(this.format, this.chunkBytes, this.describe());
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

/** Any reader may read any file: splits go to whichever reader asks first, given-back ones first. */
class FileEnumerator implements SplitEnumerator<FileSplit, FileEnumeratorState> {
  constructor(private readonly pending: FileSplit[]) {}
  nextSplit(): SplitAssignment<FileSplit> {
    const split = this.pending.shift();
    return split === undefined ? { kind: 'no-more' } : { kind: 'split', split };
  }
  snapshotState(): FileEnumeratorState {
    return { v: 1, pending: [...this.pending] };
  }
  addSplitsBack(splits: readonly FileSplit[]): void {
    this.pending.unshift(...splits);
  }
}

/**
 * A growable byte buffer for encoding snapshot files: big-endian integers, float64s, raw bytes and
 * latin1 strings (state keys are latin1 strings, one char per byte). `view()` is valid until the next
 * write or reset(). Single-threaded.
 */
export class ByteBuilder {
  private buf: Buffer;
  length = 0;

  constructor(initialCapacity = 4096) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** The bytes written so far (a view, not a copy). */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  u8(n: number): void {
    this.ensure(1);
    this.buf[this.length++] = n;
  }

  u16(n: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(n, this.length);
    this.length += 2;
  }

  u32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(n, this.length);
    this.length += 4;
  }

  /** An unsigned integer below 2^53 as two u32 (high, low): file offsets. */
  u64(n: number): void {
    this.u32(Math.floor(n / 0x1_0000_0000));
    this.u32(n >>> 0);
  }

  f64(n: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(n, this.length);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The chars of `s` from `start` on (all below 256) as one byte each. */
  latin1(s: string, start = 0): void {
    const n = s.length - start;
    this.ensure(n);
    if (n > 32) {
      this.length += this.buf.write(start === 0 ? s : s.substring(start), this.length, n, 'latin1');
      return;
    }
    // short keys: a loop is cheaper than the call into Buffer#write (and needs no substring)
    const buf = this.buf;
    let at = this.length;
    for (let i = start; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.length = at;
  }

  /** `[length u16][utf8 bytes]`: names in headers. */
  shortString(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    if (n > 0xffff) throw new RangeError(`a name of ${n} bytes is longer than a snapshot header allows (65535)`);
    this.u16(n);
    this.ensure(n);
    this.length += this.buf.write(s, this.length, n, 'utf8');
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

/** Reads what ByteBuilder writes, with bounds checks that report through `fail`. */
export class ByteReader {
  pos = 0;

  constructor(
    readonly buf: Buffer,
    private readonly fail: (reason: string) => never,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) this.fail(`${what} runs past the end of its section (at byte ${this.pos} of ${this.buf.length})`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const n = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return n;
  }

  u32(what: string): number {
    this.need(4, what);
    const n = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  u64(what: string): number {
    const hi = this.u32(what);
    return hi * 0x1_0000_0000 + this.u32(what);
  }

  f64(what: string): number {
    this.need(8, what);
    const n = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return n;
  }

  /** `n` bytes as a view of the buffer. */
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  shortString(what: string): string {
    const n = this.u16(what);
    return this.bytes(n, what).toString('utf8');
  }
}

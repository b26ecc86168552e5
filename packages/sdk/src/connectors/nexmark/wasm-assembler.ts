/**
 * A minimal WebAssembly encoder: enough of the binary format to build one module of integer and
 * 128-bit SIMD code in memory at run time, so the SDK ships no binary and needs no toolchain.
 * Instructions are written as folded expressions, like the text format: `i32.add(a, b)` is the
 * code of `a`, then of `b`, then the opcode. Only the instructions the Nexmark kernels use exist.
 */

/** Encoded instructions (bytes). */
export type Code = readonly number[];
export type ValueType = 'i32' | 'i64' | 'f64' | 'v128';

const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e, f64: 0x7c, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 64-bit two's complement integer. */
function slebBig(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (byte & 0x40) === 0) || (n === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const cat = (...parts: Code[]): number[] => parts.flat();
const binary = (op: Code) => (a: Code, b: Code): Code => cat(a, b, op);
const unary = (op: Code) => (a: Code): Code => cat(a, op);
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** Memory argument: alignment exponent, then offset. */
const memarg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

export const local = {
  get: (i: number): Code => [0x20, ...uleb(i)],
  set: (i: number, v: Code): Code => cat(v, [0x21, ...uleb(i)]),
  tee: (i: number, v: Code): Code => cat(v, [0x22, ...uleb(i)]),
};

export const i32 = {
  const: (n: number): Code => [0x41, ...slebBig(BigInt(n | 0))],
  load: (addr: Code, offset = 0): Code => cat(addr, [0x28], memarg(2, offset)),
  load8_u: (addr: Code, offset = 0): Code => cat(addr, [0x2d], memarg(0, offset)),
  store: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, [0x36], memarg(2, offset)),
  store8: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, [0x3a], memarg(0, offset)),
  eqz: unary([0x45]),
  ne: binary([0x47]),
  gt_s: binary([0x4a]),
  gt_u: binary([0x4b]),
  le_u: binary([0x4d]),
  ge_s: binary([0x4e]),
  ge_u: binary([0x4f]),
  add: binary([0x6a]),
  sub: binary([0x6b]),
  mul: binary([0x6c]),
  and: binary([0x71]),
  or: binary([0x72]),
  xor: binary([0x73]),
  shl: binary([0x74]),
  shr_u: binary([0x76]),
  div_u: binary([0x6e]),
  wrap_i64: unary([0xa7]),
  trunc_f64_s: unary([0xaa]),
};

export const i64 = {
  const: (n: bigint): Code => [0x42, ...slebBig(BigInt.asIntN(64, n))],
  load: (addr: Code, offset = 0): Code => cat(addr, [0x29], memarg(3, offset)),
  store: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, [0x37], memarg(3, offset)),
  lt_s: binary([0x53]),
  add: binary([0x7c]),
  sub: binary([0x7d]),
  mul: binary([0x7e]),
  div_u: binary([0x80]),
  rem_u: binary([0x82]),
  or: binary([0x84]),
  shl: binary([0x86]),
  shr_u: binary([0x88]),
  extend_i32_u: unary([0xad]),
};

export const f64 = {
  const: (x: number): Code => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    return [0x44, ...b];
  },
  floor: unary([0x9c]),
  add: binary([0xa0]),
  mul: binary([0xa2]),
  convert_i32_s: unary([0xb7]),
  convert_i64_u: unary([0xba]),
  store: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, [0x39], memarg(3, offset)),
};

export const v128 = {
  load: (addr: Code, offset = 0): Code => cat(addr, simd(0x00), memarg(4, offset)),
  store: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, simd(0x0b), memarg(4, offset)),
  /** A vector of four i32 lanes. */
  i32x4: (a: number, b = a, c = a, d = a): Code => {
    const bytes = Buffer.alloc(16);
    [a, b, c, d].forEach((x, i) => bytes.writeInt32LE(x | 0, 4 * i));
    return [...simd(0x0c), ...bytes];
  },
  and: binary(simd(0x4e)),
  or: binary(simd(0x50)),
  xor: binary(simd(0x51)),
};

export const i8x16 = {
  shuffle: (lanes: readonly number[], a: Code, b: Code): Code => cat(a, b, simd(0x0d), lanes),
  narrow_i16x8_u: binary(simd(0x66)),
};

export const i16x8 = {
  narrow_i32x4_u: binary(simd(0x86)),
};

export const i32x4 = {
  splat: unary(simd(0x11)),
  /** Shift every lane by the i32 `by`. */
  shr_u: binary(simd(0xad)),
  add: binary(simd(0xae)),
  mul: binary(simd(0xb5)),
};

export const i64x2 = {
  extmul_low_i32x4_u: binary(simd(0xde)),
  extmul_high_i32x4_u: binary(simd(0xdf)),
};

export const memory = {
  copy: (dst: Code, src: Code, n: Code): Code => cat(dst, src, n, [0xfc, 10, 0, 0]),
};

// Control. Branch depths count enclosing blocks outwards, as in the binary format.
const blockType = (result?: ValueType): number => (result === undefined ? 0x40 : TYPE_CODE[result]);
export const block = (body: Code[], result?: ValueType): Code => cat([0x02, blockType(result)], ...body, [0x0b]);
export const loop = (body: Code[]): Code => cat([0x03, 0x40], ...body, [0x0b]);
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number, cond: Code): Code => cat(cond, [0x0d, ...uleb(depth)]);
export const ifThen = (cond: Code, then: Code[], otherwise?: Code[]): Code =>
  cat(cond, [0x04, 0x40], ...then, otherwise ? cat([0x05], ...otherwise) : [], [0x0b]);
export const ret = (v: Code): Code => cat(v, [0x0f]);
export const call = (fn: number, ...args: Code[]): Code => cat(...args, [0x10, ...uleb(fn)]);
export const seq = (...parts: Code[]): Code => cat(...parts);
/** `cond ? a : b`, both evaluated. */
export const select = (a: Code, b: Code, cond: Code): Code => cat(a, b, cond, [0x1b]);

export interface FunctionDef {
  /** Exported under this name when given. */
  readonly name?: string;
  readonly params: readonly ValueType[];
  readonly result: ValueType;
  /** Types of the locals after the params (local indexes continue from params.length). */
  readonly locals: readonly ValueType[];
  readonly body: Code;
}

export interface ModuleDef {
  /** Initial pages (64 KiB) of the one memory, exported as "memory". */
  readonly memoryPages: number;
  /** Bytes placed in memory at the given offsets. */
  readonly data: readonly { readonly offset: number; readonly bytes: readonly number[] }[];
  /** Function i is called as `call(i, …)`. */
  readonly functions: readonly FunctionDef[];
}

const vec = (items: Code[]): number[] => cat(uleb(items.length), ...items);
const name = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id: number, body: Code): number[] => cat([id], uleb(body.length), body);

/** The binary module. */
export function assemble(def: ModuleDef): Uint8Array {
  const signatures: string[] = [];
  const typeOf = def.functions.map((f) => {
    const key = `${f.params.join(',')}>${f.result}`;
    let i = signatures.indexOf(key);
    if (i < 0) i = signatures.push(key) - 1;
    return i;
  });
  const types = signatures.map((key) => {
    const [params, result] = key.split('>') as [string, ValueType];
    const ps = params === '' ? [] : (params.split(',') as ValueType[]);
    return cat([0x60], vec(ps.map((p) => [TYPE_CODE[p]])), vec([[TYPE_CODE[result]]]));
  });
  const exports = [cat(name('memory'), [0x02, 0])];
  def.functions.forEach((f, i) => {
    if (f.name !== undefined) exports.push(cat(name(f.name), [0x00], uleb(i)));
  });
  const bodies = def.functions.map((f) => {
    const groups: Code[] = f.locals.map((t) => [1, TYPE_CODE[t]]);
    const body = cat(vec(groups), f.body, [0x0b]);
    return cat(uleb(body.length), body);
  });
  const data = def.data.map((d) => cat([0x00], i32.const(d.offset), [0x0b], vec(d.bytes.map((b) => [b]))));
  return Uint8Array.from(
    cat(
      [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      section(1, vec(types)),
      section(3, vec(typeOf.map((t) => uleb(t)))),
      section(5, vec([[0x00, ...uleb(def.memoryPages)]])),
      section(7, vec(exports)),
      section(10, vec(bodies)),
      section(11, vec(data)),
    ),
  );
}

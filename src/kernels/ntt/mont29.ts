/**
 * Montgomery multiplication over Fr with 29-bit limbs (9 × 29 = 261 bits, R' = 2^261) for the NTT's
 * data × constant products. 29-bit limb products are < 2^58, so a 64-bit lane can absorb the ≤ 18 products
 * that pile up in one limb before any carry moves: no carry handling between products (the wasmcurves
 * multiplier propagates one after every 32×32 product). The x·y partial products run on WASM SIMD
 * (i64x2.extmul_low_i32x4_u: two 29×29-bit products per instruction), which halves the scalar multiplies,
 * the bottleneck; the Montgomery reduction stays scalar (its m_i are sequential). Separated operand
 * scanning: P = x·y in 18 unnormalised limbs (9 i64x2 accumulators), 9 reduction steps, one carry pass,
 * a conditional subtraction of q and the 32-byte pack.
 *
 * Operands and result keep the 32-byte little-endian layout (unpacked into limbs on load, packed on store,
 * result fully reduced to [0, q)). Since R' ≠ 2^256, the CONSTANT operand must be pre-scaled:
 * mul(a·2^256, c·2^261) = a·c·2^256, so data stays in the usual Montgomery form and every constant
 * (twiddles, coset powers, 1/n) is stored as c·2^261 mod q (`toMul29`). Constants used many times (stage
 * twiddles) are stored in "pair form" (SIMD_CONST_BYTES): the 9 limbs as 5 u32 pairs aligned for even rows
 * ((y0,y1) … (y8,0)) and 5 shifted by one for odd rows ((0,y0) (y1,y2) … (y7,y8)), so every x_i row is 5
 * extmuls straight from memory into the matching accumulator pair.
 *
 * For two data operands (the Fr vector kernel, fr-wasm.ts), the `xShift` option unpacks x·2^5 instead
 * (still 261 bits): the product is then x·y·2^−256, no pre-scaled constant needed.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const W = 29;
const NL = 9;
const MASK = (1 << W) - 1;

/** Canonical x → the value whose 2^256-Montgomery encoding is x·2^261 (write it with frToMontBytes). */
export function toMul29(x: bigint, q: bigint): bigint {
  return (((x % q) + q) % q * 32n) % q;
}

/**
 * Unpack code: limb j = bits [29j, 29j+29) of (the 256-bit value at p)·2^shift, shift ∈ [0, 5] (an exact
 * integer shift: the 261-bit result still fits 9 limbs; top limb: 24 + shift bits).
 */
function unpack(c: any, p: any[], limb: (j: number) => string, word: (a: number) => string, shift = 0): any[] {
  if (!(shift >= 0 && shift <= 5)) throw new Error('mont29: unpack shift must be in [0, 5]');
  const K = (x: number) => c.i64_const(x);
  const code: any[] = [];
  for (let a = 0; a < 8; a++) code.push(c.setLocal(word(a), c.i64_load32_u(p, 4 * a)));
  for (let j = 0; j < NL; j++) {
    const start = W * j - shift;
    let e: any[];
    if (start < 0) {
      e = c.i64_shl(c.getLocal(word(0)), K(-start));
    } else {
      const a = start >> 5;
      const sh = start & 31;
      e = sh ? c.i64_shr_u(c.getLocal(word(a)), K(sh)) : c.getLocal(word(a));
      if (sh + W > 32 && a + 1 < 8) e = c.i64_or(e, c.i64_shl(c.getLocal(word(a + 1)), K(32 - sh)));
    }
    code.push(c.setLocal(limb(j), j === NL - 1 ? e : c.i64_and(e, K(MASK))));
  }
  return code;
}

export const SIMD_CONST_BYTES = 80;

/** Unsigned LEB128 (wasm immediates and sizes). */
export const le = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const V128 = 0x7b;
const simd = (op: number, ...imm: number[]) => [0xfd, ...le(op), ...imm];
const OP = { load: 0x00, const: 0x0c, i32x4_splat: 0x11, i64x2_splat: 0x12, i64x2_extract: 0x1d, i64x2_add: 0xce, extmul_low_u: 0xde };

/** wasmbuilder knows no v128 locals: emit the body ourselves, typing locals named in `v128` as v128. */
export function withV128Locals(f: any, v128: Set<string>): void {
  const names: string[] = [];
  for (const [n, idx] of Object.entries(f.localIdxByName as Record<string, number>)) names[idx] = n;
  const nParams = f.params.length;
  const codes = { i32: 0x7f, i64: 0x7e } as Record<string, number>;
  f.getBody = function (): number[] {
    const locals = this.locals.map((l: any, k: number) => [...le(l.length), v128.has(names[nParams + k]!) ? V128 : codes[l.type]]);
    const body = [...le(this.locals.length), ...locals.flat(), ...this.code, 0x0b];
    return [...le(body.length), ...body];
  };
}

/** Adds `name(p, o, n)`: n packed 32-byte constants at p → pair form (SIMD_CONST_BYTES each) at o. */
export function buildPairForm(module: any, name: string): void {
  const f = module.addFunction(name);
  f.addParam('p', 'i32');
  f.addParam('o', 'i32');
  f.addParam('n', 'i32');
  for (let i = 0; i < NL; i++) f.addLocal('l' + i, 'i64');
  for (let i = 0; i < 8; i++) f.addLocal('w' + i, 'i64');
  const c = f.getCodeBuilder();
  const limb = (j: number) => (j < 0 || j >= NL ? c.i64_const(0) : c.getLocal('l' + j));
  const stores: any[] = [];
  for (let s = 0; s < 5; s++) {
    stores.push(c.i64_store32(c.getLocal('o'), 8 * s, limb(2 * s)), c.i64_store32(c.getLocal('o'), 8 * s + 4, limb(2 * s + 1)));
    stores.push(c.i64_store32(c.getLocal('o'), 40 + 8 * s, limb(2 * s - 1)), c.i64_store32(c.getLocal('o'), 40 + 8 * s + 4, limb(2 * s)));
  }
  const body = [
    ...unpack(c, c.getLocal('p'), (j) => 'l' + j, (a) => 'w' + a),
    ...stores.flat(),
    ...c.setLocal('p', c.i32_add(c.getLocal('p'), c.i32_const(32))),
    ...c.setLocal('o', c.i32_add(c.getLocal('o'), c.i32_const(SIMD_CONST_BYTES))),
    ...c.setLocal('n', c.i32_sub(c.getLocal('n'), c.i32_const(1))),
  ];
  f.addCode(c.block(c.loop(c.br_if(1, c.i32_eqz(c.getLocal('n'))), ...body, c.br(0))));
}

/** Declares the locals of mulCode on f (v128 ones are added to `v128`, see withV128Locals). */
export function mulLocals(f: any, packedY: boolean, v128: Set<string>): void {
  for (let i = 0; i < NL; i++) f.addLocal('xl' + i, 'i64');
  for (let i = 0; i < 8; i++) f.addLocal('w' + i, 'i64');
  for (let i = 0; i < 2 * NL; i++) f.addLocal('L' + i, 'i64');
  for (let i = 0; i < NL; i++) f.addLocal('D' + i, 'i64');
  for (const n of ['t', 'm', 'c']) f.addLocal(n, 'i64');
  f.addLocal('f', 'i32');
  for (let t = 0; t < NL; t++) {
    f.addLocal('P' + t, 'i64');
    v128.add('P' + t);
  }
  f.addLocal('X', 'i64');
  v128.add('X');
  if (packedY) {
    for (let i = 0; i < NL; i++) f.addLocal('yl' + i, 'i64');
    for (let s = 0; s < 10; s++) {
      f.addLocal('Y' + s, 'i64');
      v128.add('Y' + s);
    }
  }
}

/**
 * Code setting the registers Y0..Y9 (locals of mulLocals with packedY) from the plain 32-byte element at
 * pointer expression y: pair s of the even form is Y[s], of the odd form Y[5 + s]: i64x2.splat(lo | hi << 32).
 * With mulCode's `yReady` option this runs once, e.g. before a loop multiplying by one constant.
 */
export function packedYCode(c: any, y: any[]): any[] {
  const L = (n: string) => c.getLocal(n);
  const K = (v: number) => c.i64_const(v);
  const code: any[] = [...unpack(c, y, (j) => 'yl' + j, (a) => 'w' + a)];
  const yl = (j: number) => (j < 0 || j >= NL ? K(0) : L('yl' + j));
  for (let s = 0; s < 5; s++) {
    code.push(c.setLocal('Y' + s, [...c.i64_or(yl(2 * s), c.i64_shl(yl(2 * s + 1), K(32))), ...simd(OP.i64x2_splat)]));
    code.push(c.setLocal('Y' + (5 + s), [...c.i64_or(yl(2 * s - 1), c.i64_shl(yl(2 * s), K(32))), ...simd(OP.i64x2_splat)]));
  }
  return code;
}

/**
 * Options of mulCode. `xShift` (0..5) multiplies x by 2^xShift as an integer while unpacking (x·2^xShift
 * < 2^261 still fits the limbs): with xShift = 5 the product is x·y·2^−256, the ordinary 2^256-Montgomery
 * product, for two data operands (x any 256-bit value, y < q: the result before the final subtraction is
 * < x·2^5·q/2^261 + q < 2q). `yReady` (packedY only): Y0..Y9 are already set (packedYCode), y is unused.
 */
export interface MulOpts {
  xShift?: number;
  yReady?: boolean;
}

/**
 * Code for x·y·2^−261 mod q (reduced) with x, y given as pointer expressions; afterwards `word(a)` is the
 * i64 expression of 32-bit word a of the result (bits above 32 are garbage: store32 or mask it).
 * y is in pair form, or with `packedY` a plain 32-byte element whose pairs are built in registers.
 * The result limbs (29 bits each, value < q) are the locals L9..L17 (see MulOpts for x·2^xShift).
 */
export function mulCode(
  c: any,
  q: bigint,
  x: any[],
  y: any[] | null,
  packedY: boolean,
  opts: MulOpts = {},
): { code: any[]; word: (a: number) => any[] } {
  const ql = Array.from({ length: NL }, (_, j) => Number((q >> BigInt(W * j)) & BigInt(MASK)));
  if (ql[0] !== (1 << 28) + 1) throw new Error('mont29: the shift-and-add reduction assumes q ≡ 2^28 + 1 mod 2^29');
  if (opts.yReady && !packedY) throw new Error('mont29: yReady needs packedY');
  if (!opts.yReady && !y) throw new Error('mont29: y pointer expected');
  const L = (n: string) => c.getLocal(n);
  const K = (v: number) => c.i64_const(v);
  const code: any[] = [];

  code.push(...unpack(c, x, (j) => 'xl' + j, (a) => 'w' + a, opts.xShift ?? 0));
  if (packedY && !opts.yReady) code.push(...packedYCode(c, y!));
  for (let t = 0; t < NL; t++) code.push(c.setLocal('P' + t, simd(OP.const, ...Array(16).fill(0))));
  // P += x_i·y, two limbs per extmul (pair form keeps every row aligned to the accumulator pairs).
  for (let i = 0; i < NL; i++) {
    code.push(c.setLocal('X', [...c.i32_wrap_i64(L('xl' + i)), ...simd(OP.i32x4_splat)]));
    const base = i & 1 ? 40 : 0;
    const t0 = i >> 1;
    for (let s = 0; s < 5; s++) {
      const ys = packedY ? L('Y' + ((base ? 5 : 0) + s)) : [...y!, ...simd(OP.load, 4, ...le(base + 8 * s))];
      const prod = [...L('X'), ...ys, ...simd(OP.extmul_low_u)];
      code.push(c.setLocal('P' + (t0 + s), [...L('P' + (t0 + s)), ...prod, ...simd(OP.i64x2_add)]));
    }
  }
  for (let t = 0; t < NL; t++) {
    code.push(c.setLocal('L' + 2 * t, [...L('P' + t), ...simd(OP.i64x2_extract, 0)]));
    code.push(c.setLocal('L' + (2 * t + 1), [...L('P' + t), ...simd(OP.i64x2_extract, 1)]));
  }
  // Reduction: m_i = −t_i/q mod 2^29 with μ = 2^28 − 1, q0 = 2^28 + 1 (shift-and-add); carries deferred.
  for (let i = 0; i < NL; i++) {
    code.push(c.setLocal('t', i === 0 ? L('L0') : c.i64_add(L('L' + i), L('c'))));
    code.push(c.setLocal('m', c.i64_and(c.i64_sub(c.i64_shl(L('t'), K(28)), L('t')), K(MASK))));
    code.push(c.setLocal('c', c.i64_shr_u(c.i64_add(c.i64_add(L('t'), L('m')), c.i64_shl(L('m'), K(28))), K(W))));
    for (let j = 1; j < NL; j++) code.push(c.setLocal('L' + (i + j), c.i64_add(L('L' + (i + j)), c.i64_mul(L('m'), K(ql[j]!)))));
  }
  // Result limbs L9..L17 (value < 2q): carry pass, then subtract q unless that borrows.
  code.push(c.setLocal('L9', c.i64_add(L('L9'), L('c'))));
  for (let k = 9; k < 17; k++) {
    code.push(c.setLocal('L' + (k + 1), c.i64_add(L('L' + (k + 1)), c.i64_shr_u(L('L' + k), K(W)))));
    code.push(c.setLocal('L' + k, c.i64_and(L('L' + k), K(MASK))));
  }
  const qTop = Number(q >> BigInt(W * 8));
  for (let j = 0; j < NL; j++) {
    let e = c.i64_sub(L('L' + (9 + j)), K(j < 8 ? ql[j]! : qTop));
    if (j > 0) e = c.i64_add(e, c.i64_shr_s(L('c'), K(W)));
    code.push(c.setLocal('c', e));
    code.push(c.setLocal('D' + j, j < 8 ? c.i64_and(L('c'), K(MASK)) : L('c')));
  }
  code.push(c.setLocal('f', c.i64_lt_s(L('c'), K(0))));
  for (let j = 0; j < NL; j++) code.push(c.setLocal('L' + (9 + j), [...L('L' + (9 + j)), ...L('D' + j), ...L('f'), 0x1b]));
  // Pack: limb j at bit 29j (limb 8 is the top, bits 232..255).
  const word = (a: number): any[] => {
    let e: any[] | null = null;
    for (let j = 0; j < NL; j++) {
      const lo = W * j;
      const hi = j < 8 ? lo + W : 256;
      if (hi <= 32 * a || lo >= 32 * a + 32) continue;
      const part = lo >= 32 * a ? c.i64_shl(L('L' + (9 + j)), K(lo - 32 * a)) : c.i64_shr_u(L('L' + (9 + j)), K(32 * a - lo));
      e = e ? c.i64_or(e, part) : part;
    }
    return e!;
  };
  return { code, word };
}

/**
 * Adds `name(x, y, r)`: r = x·y·2^−261 mod q (reduced); r may alias x or y. BN254 Fr only. y is in pair form,
 * or with `packedY` a plain 32-byte element whose pairs are built in registers (running products). With
 * xShift = 5 (packedY, y < q): r = x·y·2^−256, the product of two 2^256-Montgomery data operands.
 */
export function buildMul29(module: any, name: string, q: bigint, packedY = false, xShift = 0): void {
  const f = module.addFunction(name);
  f.addParam('x', 'i32');
  f.addParam('y', 'i32');
  f.addParam('r', 'i32');
  const v128 = new Set<string>();
  mulLocals(f, packedY, v128);
  withV128Locals(f, v128);
  const c = f.getCodeBuilder();
  const { code, word } = mulCode(c, q, c.getLocal('x'), c.getLocal('y'), packedY, { xShift });
  for (let a = 0; a < 8; a++) code.push(c.i64_store32(c.getLocal('r'), 4 * a, word(a)));
  f.addCode(...code);
}

/**
 * Fq in five 51-bit limbs with a floating-point multiplier (`f51_*`, `f51x2_*`), Montgomery form with
 * R = 2^255, for the MSM's batch-affine bucket additions when the engine has a fused multiply-add.
 *
 * Why: a 51×51-bit limb product is exact in two f64 FMAs (Emmart, Zheng, Weems, "Faster modular
 * exponentiation using double precision floating point arithmetic on the GPU", ARITH 2018):
 *   hi = fma(x, y, 2^103)                 → hi − 2^103 = H = xy rounded to a multiple of 2^51
 *   lo = fma(x, y, (2^103 + 3·2^51) − hi) → lo = xy − H + 3·2^51 ∈ [2^52, 2^53), exact
 * and the bit patterns of hi and lo, read as integers, are H/2^51 and xy − H plus known offsets. So a
 * 5×5-limb product is 50 FMAs plus integer additions, where the 29-bit integer multiplier (f29.ts) needs 81
 * 64-bit multiplies for the same work; and f64x2 lanes run two independent multiplications at once. The
 * offsets of all terms are subtracted up front (Z_INIT), Montgomery reduction is interleaved per limb
 * (CIOS), columns accumulate in i64 lanes without carries (≤ 20 terms of < 2^52 each).
 *
 * WASM exposes FMA only as relaxed SIMD's f64x2.relaxed_madd, which may round twice on hardware without
 * FMA: fma.ts checks that it is fused before this multiplier is used (the 29-bit one is the fallback).
 *
 * Layouts (all limbs i64, canonical: each limb < 2^51, value < q, so equality is limb equality):
 * - element: 40 bytes, limb k at 8k;
 * - pair (two elements side by side, one per SIMD lane): 80 bytes, limb k of lane l at 16k + 8l.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { le, withV128Locals } from '../ntt/mont29.ts';
import { modPow } from '../../scalar/fr.ts';

export const E51 = 40;
export const PAIR = 80;
const NL = 5;
const W = 51n;
const M51 = (1n << 51n) - 1n;

const S = (op: number, ...imm: number[]) => [0xfd, ...le(op), ...imm];
const OP = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  i64x2_splat: 0x12,
  load64_lane: 0x57,
  store64_lane: 0x5b,
  load64_zero: 0x5d,
  and: 0x4e,
  bitselect: 0x52,
  i64x2_shl: 0xcb,
  i64x2_shr_s: 0xcc,
  i64x2_add: 0xce,
  i64x2_sub: 0xd1,
  i64x2_mul: 0xd5,
  f64x2_sub: 0xf1,
  madd: 0x107, // f64x2.relaxed_madd
};

function limbs51(x: bigint): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < NL; i++) out.push((x >> (W * BigInt(i))) & M51);
  return out;
}

function f64Bits(x: number): bigint {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x, true);
  return b.getBigUint64(0, true);
}

/** 16 bytes: the two i64 lanes. */
function v128Bytes(a: bigint, b: bigint = a): number[] {
  const v = new DataView(new ArrayBuffer(16));
  v.setBigUint64(0, BigInt.asUintN(64, a), true);
  v.setBigUint64(8, BigInt.asUintN(64, b), true);
  return [...new Uint8Array(v.buffer)];
}

/** Element bytes (40) of a canonical value. */
export function elem51(x: bigint): Uint8Array {
  const out = new Uint8Array(E51);
  const v = new DataView(out.buffer);
  limbs51(x).forEach((l, k) => v.setBigUint64(8 * k, l, true));
  return out;
}

/** Canonical value of the element at `bytes` (tests). */
export function value51(bytes: Uint8Array, stride = 8, offset = 0): bigint {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  let x = 0n;
  for (let k = NL - 1; k >= 0; k--) x = (x << W) | v.getBigUint64(offset + stride * k, true);
  return x;
}

const C52 = f64Bits(2 ** 52); // bits of 2^52: i64 x < 2^52 ↔ f64 (bits(2^52) + x) − 2^52
const C1 = 2 ** 103;
const C2 = 2 ** 103 + 3 * 2 ** 51;
const HI_OFF = f64Bits(C1);
const LO_OFF = C52 + (1n << 51n);

/**
 * Adds the Fq functions (q < 2^254). `mu` etc. are derived here; exported functions:
 * f51x2_mul(a, b, r) pairs; f51x2_sub(a, b, r) pairs; f51x2_gather(p0, p1, r) two elements → pair;
 * f51x2_inv(a, r) pair, lane-wise inverse (0 ↦ 0); f51_add / f51_sub (a, b, r), f51_eq / f51_isZero → i32,
 * f51_copy(a, r); f51_from32(x32, r) from 32-byte Montgomery (R = 2^256) form; f51_to32(a, x32) back.
 */
/** Static constants the callers need: 1 (R mod q) as an element (bytes and address) and as a pair, and 0. */
export interface F51Consts {
  one: Uint8Array;
  pOne: number;
  pOne2: number;
  pZero: number;
}

export function buildF51(module: any, q: bigint): F51Consts {
  if (q >= 1n << 254n) throw new Error('f51: modulus must be < 2^254');
  const ql = limbs51(q);
  const mu = BigInt.asUintN(51, -modPow(q, (1n << 50n) - 1n, 1n << 51n)); // −q⁻¹ mod 2^51
  const R = (1n << 255n) % q;
  const one = elem51(R);
  const pOne = module.alloc(one);
  const pOne2 = module.alloc(new Uint8Array(limbs51(R).flatMap((l) => v128Bytes(l))));
  const pZero = module.alloc(elem51(0n));
  // bits of q − 2, most significant first (Fermat inversion)
  const e = q - 2n;
  const bits: number[] = [];
  for (let b = e.toString(2).length - 1; b >= 0; b--) bits.push(Number((e >> BigInt(b)) & 1n));
  const pBits = module.alloc(new Uint8Array(bits));
  const pInvTmp = module.alloc(PAIR);

  // Offsets of the raw bit patterns per output column c (absolute): lo terms of the products i + j = c and
  // hi terms of i + j = c − 1, from x·y and from q_i·q.
  const zInit: bigint[] = [];
  for (let col = 0; col <= 10; col++) {
    let nLo = 0n;
    let nHi = 0n;
    for (let i = 0; i < NL; i++)
      for (let j = 0; j < NL; j++) {
        if (i + j === col) nLo++;
        if (i + j + 1 === col) nHi++;
      }
    zInit.push(BigInt.asIntN(64, -2n * (nHi * HI_OFF + nLo * LO_OFF)));
  }

  buildMul(module, ql, mu, zInit);
  buildPairSub(module, ql);
  buildGather(module);
  buildScalar(module, ql);

  // r = a⁻¹ lane-wise by a^(q−2): 253 squarings and ~130 multiplications, both lanes at once
  {
    const f = module.addFunction('f51x2_inv');
    f.addParam('a', 'i32');
    f.addParam('r', 'i32');
    f.addLocal('i', 'i32');
    const c = f.getCodeBuilder();
    const g = (n: string) => c.getLocal(n);
    const T = c.i32_const(pInvTmp);
    const copy = (from: any[], to: any[]) => {
      const out: any[] = [];
      for (let k = 0; k < NL; k++) out.push([...to, ...from, ...S(OP.load, 4, ...le(16 * k)), ...S(OP.store, 4, ...le(16 * k))]);
      return out.flat();
    };
    f.addCode(
      copy(g('a'), T),
      copy(c.i32_const(pOne2), g('r')),
      c.setLocal('i', c.i32_const(0)),
      c.block(
        c.loop(
          c.br_if(1, c.i32_eq(g('i'), c.i32_const(bits.length))),
          ...c.call('f51x2_mul', g('r'), g('r'), g('r')),
          ...c.if(c.i32_load8_u(c.i32_add(g('i'), c.i32_const(pBits))), c.call('f51x2_mul', g('r'), T, g('r'))),
          ...c.setLocal('i', c.i32_add(g('i'), c.i32_const(1))),
          ...c.br(0),
        ),
      ),
    );
    module.exportFunction('f51x2_inv');
  }
  return { one, pOne, pOne2, pZero };
}

/** r = a·b·2^−255 mod q on two lanes (CIOS, FMA limb products). */
function buildMul(module: any, ql: bigint[], mu: bigint, zInit: bigint[]): void {
  const f = module.addFunction('f51x2_mul');
  f.addParam('a', 'i32');
  f.addParam('b', 'i32');
  f.addParam('r', 'i32');
  const v128 = new Set<string>();
  const vl = (n: string) => {
    f.addLocal(n, 'i64');
    v128.add(n);
  };
  for (let j = 0; j < NL; j++) vl('Y' + j);
  for (let j = 0; j <= NL; j++) vl('Z' + j);
  for (let j = 0; j < NL; j++) vl('H' + j);
  vl('X');
  vl('T');
  withV128Locals(f, v128);
  const c = f.getCodeBuilder();
  const L = (n: string) => c.getLocal(n);
  const set = (n: string, e: any[]) => c.setLocal(n, e);
  const K = (a: bigint, b: bigint = a) => S(OP.const, ...v128Bytes(a, b));
  const KF = (x: number) => K(f64Bits(x));
  const add = (a: any[], b: any[]) => [...a, ...b, ...S(OP.i64x2_add)];
  const toF = (e: any[]) => [...e, ...K(C52), ...S(OP.i64x2_add), ...K(C52), ...S(OP.f64x2_sub)];
  const madd = (a: any[], b: any[], cc: any[]) => [...a, ...b, ...cc, ...S(OP.madd)];
  const code: any[] = [];
  for (let j = 0; j < NL; j++) code.push(set('Y' + j, toF([...L('b'), ...S(OP.load, 4, ...le(16 * j))])));
  for (let j = 0; j <= NL; j++) code.push(set('Z' + j, K(zInit[j]!)));
  // hi/lo terms of X·(5 limbs) into Z: Z[j+1] += hi_j, Z[j] += lo_j
  const terms = (x: string, yj: (j: number) => any[]) => {
    const out: any[] = [];
    for (let j = 0; j < NL; j++) out.push(set('H' + j, madd(L(x), yj(j), KF(C1))));
    for (let j = 0; j < NL; j++) out.push(set('Z' + (j + 1), add(L('Z' + (j + 1)), L('H' + j))));
    for (let j = 0; j < NL; j++) out.push(set('H' + j, madd(L(x), yj(j), [...KF(C2), ...L('H' + j), ...S(OP.f64x2_sub)])));
    for (let j = 0; j < NL; j++) out.push(set('Z' + j, add(L('Z' + j), L('H' + j))));
    return out;
  };
  for (let i = 0; i < NL; i++) {
    code.push(set('X', toF([...L('a'), ...S(OP.load, 4, ...le(16 * i))])));
    code.push(...terms('X', (j) => L('Y' + j)));
    // q_i = (Z0 mod 2^51)·μ mod 2^51, as f64
    code.push(set('T', toF([...L('Z0'), ...K(mu), ...S(OP.i64x2_mul), ...K(M51), ...S(OP.and)])));
    code.push(...terms('T', (j) => KF(Number(ql[j]!))));
    // Z0 is now a multiple of 2^51: shift the columns down by one
    code.push(set('Z0', add(L('Z1'), [...L('Z0'), ...c.i32_const(51), ...S(OP.i64x2_shr_s)])));
    for (let j = 1; j < NL; j++) code.push(set('Z' + j, L('Z' + (j + 1))));
    if (i < NL - 1) code.push(set('Z' + NL, K(zInit[i + NL + 1]!)));
  }
  // carry, then subtract q once if the value (< 2q) is ≥ q
  for (let k = 0; k < NL - 1; k++) {
    code.push(set('Z' + (k + 1), add(L('Z' + (k + 1)), [...L('Z' + k), ...c.i32_const(51), ...S(OP.i64x2_shr_s)])));
    code.push(set('Z' + k, [...L('Z' + k), ...K(M51), ...S(OP.and)]));
  }
  for (let k = 0; k < NL; k++) {
    const d = [...L('Z' + k), ...K(ql[k]!), ...S(OP.i64x2_sub)];
    code.push(set('H' + k, k === 0 ? d : add(d, [...L('H' + (k - 1)), ...c.i32_const(51), ...S(OP.i64x2_shr_s)])));
    if (k > 0) code.push(set('H' + (k - 1), [...L('H' + (k - 1)), ...K(M51), ...S(OP.and)]));
  }
  code.push(set('T', [...L('H' + (NL - 1)), ...c.i32_const(63), ...S(OP.i64x2_shr_s)])); // all ones: keep Z
  for (let k = 0; k < NL; k++) code.push([...L('r'), ...L('Z' + k), ...L('H' + k), ...L('T'), ...S(OP.bitselect), ...S(OP.store, 4, ...le(16 * k))]);
  f.addCode(...code);
  module.exportFunction('f51x2_mul');
}

/** r = a − b mod q on two lanes (canonical in, canonical out). */
function buildPairSub(module: any, ql: bigint[]): void {
  const f = module.addFunction('f51x2_sub');
  f.addParam('a', 'i32');
  f.addParam('b', 'i32');
  f.addParam('r', 'i32');
  const v128 = new Set<string>();
  for (let k = 0; k < NL; k++) {
    f.addLocal('D' + k, 'i64');
    v128.add('D' + k);
    f.addLocal('U' + k, 'i64');
    v128.add('U' + k);
  }
  f.addLocal('T', 'i64');
  v128.add('T');
  withV128Locals(f, v128);
  const c = f.getCodeBuilder();
  const L = (n: string) => c.getLocal(n);
  const K = (a: bigint) => S(OP.const, ...v128Bytes(a));
  const ld = (p: string, k: number) => [...L(p), ...S(OP.load, 4, ...le(16 * k))];
  const shr = (e: any[], n: number) => [...e, ...c.i32_const(n), ...S(OP.i64x2_shr_s)];
  const code: any[] = [];
  // D = a − b with borrows (limbs 0..3 masked, top limb signed); U = D + q
  for (let k = 0; k < NL; k++) {
    let d = [...ld('a', k), ...ld('b', k), ...S(OP.i64x2_sub)];
    if (k > 0) d = [...d, ...shr(L('D' + (k - 1)), 51), ...S(OP.i64x2_add)];
    code.push(c.setLocal('D' + k, d));
    if (k > 0) code.push(c.setLocal('D' + (k - 1), [...L('D' + (k - 1)), ...K(M51), ...S(OP.and)]));
  }
  for (let k = 0; k < NL; k++) {
    let u = [...L('D' + k), ...K(ql[k]!), ...S(OP.i64x2_add)];
    if (k > 0) u = [...u, ...shr(L('U' + (k - 1)), 51), ...S(OP.i64x2_add)];
    code.push(c.setLocal('U' + k, u));
    if (k > 0) code.push(c.setLocal('U' + (k - 1), [...L('U' + (k - 1)), ...K(M51), ...S(OP.and)]));
  }
  code.push(c.setLocal('T', shr(L('D' + (NL - 1)), 63))); // all ones where a < b: take U
  for (let k = 0; k < NL; k++) code.push([...L('r'), ...L('U' + k), ...L('D' + k), ...L('T'), ...S(OP.bitselect), ...S(OP.store, 4, ...le(16 * k))]);
  f.addCode(...code);
  module.exportFunction('f51x2_sub');
}

/** r (pair) = (element at p0, element at p1). */
function buildGather(module: any): void {
  const f = module.addFunction('f51x2_gather');
  f.addParam('p0', 'i32');
  f.addParam('p1', 'i32');
  f.addParam('r', 'i32');
  const c = f.getCodeBuilder();
  const code: any[] = [];
  for (let k = 0; k < NL; k++) {
    code.push([
      ...c.getLocal('r'),
      ...c.getLocal('p1'),
      ...c.getLocal('p0'),
      ...S(OP.load64_zero, 3, ...le(8 * k)),
      ...S(OP.load64_lane, 3, ...le(8 * k), 1),
      ...S(OP.store, 4, ...le(16 * k)),
    ]);
  }
  f.addCode(...code);
  module.exportFunction('f51x2_gather');
}

/** Single-element helpers in scalar i64 code. */
function buildScalar(module: any, ql: bigint[]): void {
  const M = M51;
  const pTwice = module.alloc(E51); // f51_to32's doubled value
  // add/sub: t = a ± b normalised; u = t ∓ q normalised; pick by the sign of the top limb
  for (const [name, sign] of [
    ['f51_add', 1],
    ['f51_sub', -1],
  ] as const) {
    const f = module.addFunction(name);
    f.addParam('a', 'i32');
    f.addParam('b', 'i32');
    f.addParam('r', 'i32');
    for (let k = 0; k < NL; k++) {
      f.addLocal('t' + k, 'i64');
      f.addLocal('u' + k, 'i64');
    }
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const code: any[] = [];
    for (let k = 0; k < NL; k++) {
      const ab = c.i64_load(L('a'), 8 * k);
      const bb = c.i64_load(L('b'), 8 * k);
      let t = sign > 0 ? c.i64_add(ab, bb) : c.i64_sub(ab, bb);
      if (k > 0) t = c.i64_add(t, c.i64_shr_s(L('t' + (k - 1)), c.i64_const(51)));
      code.push(c.setLocal('t' + k, t));
      if (k > 0) code.push(c.setLocal('t' + (k - 1), c.i64_and(L('t' + (k - 1)), c.i64_const(M))));
    }
    for (let k = 0; k < NL; k++) {
      let u = sign > 0 ? c.i64_sub(L('t' + k), c.i64_const(ql[k]!)) : c.i64_add(L('t' + k), c.i64_const(ql[k]!));
      if (k > 0) u = c.i64_add(u, c.i64_shr_s(L('u' + (k - 1)), c.i64_const(51)));
      code.push(c.setLocal('u' + k, u));
      if (k > 0) code.push(c.setLocal('u' + (k - 1), c.i64_and(L('u' + (k - 1)), c.i64_const(M))));
    }
    // add: keep t when t − q < 0 (u's top limb negative); sub: take u = t + q when t < 0
    const takeT = sign > 0 ? c.i64_lt_s(L('u' + (NL - 1)), c.i64_const(0)) : c.i64_ge_s(L('t' + (NL - 1)), c.i64_const(0));
    for (let k = 0; k < NL; k++) code.push(c.i64_store(L('r'), 8 * k, [...L('t' + k), ...L('u' + k), ...takeT, 0x1b]));
    f.addCode(...code);
    module.exportFunction(name);
  }
  {
    const f = module.addFunction('f51_eq');
    f.addParam('a', 'i32');
    f.addParam('b', 'i32');
    f.setReturnType('i32');
    const c = f.getCodeBuilder();
    let e: any[] = c.i64_xor(c.i64_load(c.getLocal('a'), 0), c.i64_load(c.getLocal('b'), 0));
    for (let k = 1; k < NL; k++) e = c.i64_or(e, c.i64_xor(c.i64_load(c.getLocal('a'), 8 * k), c.i64_load(c.getLocal('b'), 8 * k)));
    f.addCode(c.i64_eqz(e));
    module.exportFunction('f51_eq');
  }
  {
    const f = module.addFunction('f51_isZero');
    f.addParam('a', 'i32');
    f.setReturnType('i32');
    const c = f.getCodeBuilder();
    let e: any[] = c.i64_load(c.getLocal('a'), 0);
    for (let k = 1; k < NL; k++) e = c.i64_or(e, c.i64_load(c.getLocal('a'), 8 * k));
    f.addCode(c.i64_eqz(e));
    module.exportFunction('f51_isZero');
  }
  {
    const f = module.addFunction('f51_copy');
    f.addParam('a', 'i32');
    f.addParam('r', 'i32');
    const c = f.getCodeBuilder();
    for (let k = 0; k < NL; k++) f.addCode(c.i64_store(c.getLocal('r'), 8 * k, c.i64_load(c.getLocal('a'), 8 * k)));
    module.exportFunction('f51_copy');
  }
  // 32-byte LE value v = a·2^256 mod q → a·2^255 = v/2 mod q: unpack, add q if odd, shift right by one
  {
    const f = module.addFunction('f51_from32');
    f.addParam('x', 'i32');
    f.addParam('r', 'i32');
    for (let k = 0; k < 4; k++) f.addLocal('w' + k, 'i64');
    for (let k = 0; k < NL; k++) f.addLocal('l' + k, 'i64');
    f.addLocal('odd', 'i64');
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const code: any[] = [];
    for (let k = 0; k < 4; k++) code.push(c.setLocal('w' + k, c.i64_load(L('x'), 8 * k)));
    const parts: any[][] = [
      c.i64_and(L('w0'), K(M)),
      c.i64_and(c.i64_or(c.i64_shr_u(L('w0'), K(51n)), c.i64_shl(L('w1'), K(13n))), K(M)),
      c.i64_and(c.i64_or(c.i64_shr_u(L('w1'), K(38n)), c.i64_shl(L('w2'), K(26n))), K(M)),
      c.i64_and(c.i64_or(c.i64_shr_u(L('w2'), K(25n)), c.i64_shl(L('w3'), K(39n))), K(M)),
      c.i64_shr_u(L('w3'), K(12n)),
    ];
    for (let k = 0; k < NL; k++) code.push(c.setLocal('l' + k, parts[k]));
    code.push(c.setLocal('odd', c.i64_sub(K(0n), c.i64_and(L('l0'), K(1n))))); // all ones when odd
    for (let k = 0; k < NL; k++) {
      let t = c.i64_add(L('l' + k), c.i64_and(L('odd'), K(ql[k]!)));
      if (k > 0) t = c.i64_add(t, c.i64_shr_u(L('l' + (k - 1)), K(51n)));
      code.push(c.setLocal('l' + k, t));
      if (k > 0) code.push(c.setLocal('l' + (k - 1), c.i64_and(L('l' + (k - 1)), K(M))));
    }
    for (let k = 0; k < NL; k++) {
      let t = c.i64_shr_u(L('l' + k), K(1n));
      if (k < NL - 1) t = c.i64_or(t, c.i64_shl(c.i64_and(L('l' + (k + 1)), K(1n)), K(50n)));
      code.push(c.i64_store(L('r'), 8 * k, t));
    }
    f.addCode(...code);
    module.exportFunction('f51_from32');
  }
  // a·2^255 → 2·(that) mod q = a·2^256 (f51_add(a, a)), packed into 32 bytes
  {
    const f = module.addFunction('f51_to32');
    f.addParam('a', 'i32');
    f.addParam('x', 'i32');
    for (let k = 0; k < NL; k++) f.addLocal('t' + k, 'i64');
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const T = c.i32_const(pTwice);
    const code: any[] = [c.call('f51_add', L('a'), L('a'), T)];
    for (let k = 0; k < NL; k++) code.push(c.setLocal('t' + k, c.i64_load(T, 8 * k)));
    code.push(c.i64_store(L('x'), 0, c.i64_or(L('t0'), c.i64_shl(L('t1'), K(51n)))));
    code.push(c.i64_store(L('x'), 8, c.i64_or(c.i64_shr_u(L('t1'), K(13n)), c.i64_shl(L('t2'), K(38n)))));
    code.push(c.i64_store(L('x'), 16, c.i64_or(c.i64_shr_u(L('t2'), K(26n)), c.i64_shl(L('t3'), K(25n)))));
    code.push(c.i64_store(L('x'), 24, c.i64_or(c.i64_shr_u(L('t3'), K(39n)), c.i64_shl(L('t4'), K(12n)))));
    f.addCode(...code);
    module.exportFunction('f51_to32');
  }
}

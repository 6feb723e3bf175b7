/**
 * Fq in nine 29-bit limbs (`f29_*`), Montgomery form with R' = 2^261, for the bucket additions.
 *
 * Why not wasmcurves' f1m (8×32-bit limbs): with 32-bit limbs every 64-bit product needs its carry split off
 * at once, while 29-bit limbs leave 6 spare bits, so the 162 products of a Montgomery multiplication just
 * accumulate in i64 locals (≤ 18 products of < 2^58 per accumulator) with one carry per row. V8 runs this
 * roughly twice as fast.
 *
 * Element: 40 bytes = 9 little-endian u32 limbs (< 2^29 each) + 4 zero bytes, always fully reduced (< q), so
 * equality is limb equality. `f29_to(x32, y40)` / `f29_from(x40, y32)` convert from / to the 32-byte
 * ffjavascript format (Montgomery R = 2^256) through one f1m_mul by 2^±5.
 */
import { modPow } from '../../scalar/fr.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
export const ES = 40;
const NL = 9;
const LB = 29;
const MASK = (1n << 29n) - 1n;

function limbs29(x: bigint): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < NL; i++) out.push((x >> BigInt(LB * i)) & MASK);
  return out;
}

function bytes(x: bigint, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}

function elem(x: bigint): Uint8Array {
  const b = new Uint8Array(ES);
  const l = limbs29(x);
  const v = new DataView(b.buffer);
  for (let i = 0; i < NL; i++) v.setUint32(4 * i, Number(l[i]!), true);
  return b;
}

/** Adds the f29_* functions (needs f1m_mul from wasmcurves' build_f1m for the conversions). */
export function buildF29(module: any, q: bigint): void {
  const ql = limbs29(q);
  const mu = (-modPow(q, (1n << 28n) - 1n, 1n << 29n)) & MASK; // −q⁻¹ mod 2^29 (odd q: q^(φ(2^29)−1))
  const pOne = module.alloc(elem((1n << 261n) % q));
  const pZero = module.alloc(elem(0n));
  const pUp = module.alloc(bytes(((1n << 5n) << 256n) % q, 32)); // f1m_mul(aR, ·) = a·2^261
  const pDown = module.alloc(bytes((modPow(2n, q - 1n - 5n, q) << 256n) % q, 32)); // → a·2^256
  const pTmp = module.alloc(40); // 32 bytes + zero padding for the unaligned 64-bit reads in f29_to

  // r = a·b/R' mod q
  {
    const f = module.addFunction('f29_mul');
    f.addParam('a', 'i32');
    f.addParam('b', 'i32');
    f.addParam('r', 'i32');
    for (let j = 0; j < NL; j++) f.addLocal('b' + j, 'i64');
    for (let j = 0; j < NL - 1; j++) f.addLocal('t' + j, 'i64');
    f.addLocal('ai', 'i64');
    f.addLocal('m', 'i64');
    f.addLocal('c', 'i64');
    f.addLocal('d', 'i64');
    for (let j = 0; j < NL; j++) f.addLocal('r' + j, 'i64');
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const code: any[] = [];
    for (let j = 0; j < NL; j++) code.push(c.setLocal('b' + j, c.i64_load32_u(L('b'), 4 * j)));
    for (let i = 0; i < NL; i++) {
      code.push(c.setLocal('ai', c.i64_load32_u(L('a'), 4 * i)));
      // t0 += ai·b0; m = t0·μ mod 2^29; (t0 + m·q0) is a multiple of 2^29: keep its carry
      const t0 = i === 0 ? c.i64_mul(L('ai'), L('b0')) : c.i64_add(L('t0'), c.i64_mul(L('ai'), L('b0')));
      code.push(c.setLocal('t0', t0));
      code.push(c.setLocal('m', c.i64_and(c.i64_mul(L('t0'), K(mu)), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_u(c.i64_add(L('t0'), c.i64_mul(L('m'), K(ql[0]!))), K(29n))));
      // shift down one limb while adding the row: t_{j−1} = t_j + ai·b_j + m·q_j
      for (let j = 1; j < NL; j++) {
        let v = c.i64_add(c.i64_mul(L('ai'), L('b' + j)), c.i64_mul(L('m'), K(ql[j]!)));
        if (i > 0 && j < NL - 1) v = c.i64_add(L('t' + j), v);
        if (j === 1) v = c.i64_add(v, L('c'));
        code.push(c.setLocal('t' + (j - 1), v));
      }
    }
    // normalise to 29-bit limbs (value < 2q)
    code.push(c.setLocal('c', K(0n)));
    for (let j = 0; j < NL - 1; j++) {
      code.push(c.setLocal('d', c.i64_add(L('t' + j), L('c'))));
      code.push(c.setLocal('r' + j, c.i64_and(L('d'), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_u(L('d'), K(29n))));
    }
    code.push(c.setLocal('r8', L('c')));
    code.push(...condSubQ(c, ql, 'r', L('r')));
    f.addCode(...code);
  }

  // Writes r − q to memory if r ≥ q, else r (limbs r0..r8 in i64 locals 'r'+j, i64 scratch locals c, d).
  function condSubQ(c: any, qlimbs: bigint[], prefix: string, out: any): any[] {
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const code: any[] = [c.setLocal('c', K(0n))];
    // d_j = r_j − q_j + c, signed borrow; keep d_j in the 'r' locals only if no final borrow: two passes
    for (let j = 0; j < NL; j++) {
      code.push(c.setLocal('d', c.i64_add(c.i64_sub(L(prefix + j), K(qlimbs[j]!)), L('c'))));
      code.push(c.setLocal('c', c.i64_shr_s(L('d'), K(29n))));
    }
    const store = (sub: boolean) => {
      const s: any[] = [];
      if (sub) s.push(...c.setLocal('c', K(0n)));
      for (let j = 0; j < NL; j++) {
        if (sub) {
          s.push(...c.setLocal('d', c.i64_add(c.i64_sub(L(prefix + j), K(qlimbs[j]!)), L('c'))));
          s.push(...c.setLocal('c', c.i64_shr_s(L('d'), K(29n))));
          s.push(...c.i64_store32(out, 4 * j, c.i64_and(L('d'), K(MASK))));
        } else s.push(...c.i64_store32(out, 4 * j, L(prefix + j)));
      }
      return s;
    };
    code.push(c.if(c.i64_eqz(L('c')), store(true), store(false)));
    return code;
  }

  // r = a + b mod q
  {
    const f = module.addFunction('f29_add');
    f.addParam('a', 'i32');
    f.addParam('b', 'i32');
    f.addParam('r', 'i32');
    f.addLocal('c', 'i64');
    f.addLocal('d', 'i64');
    for (let j = 0; j < NL; j++) f.addLocal('s' + j, 'i64');
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const code: any[] = [c.setLocal('c', K(0n))];
    for (let j = 0; j < NL; j++) {
      code.push(c.setLocal('d', c.i64_add(c.i64_add(c.i64_load32_u(L('a'), 4 * j), c.i64_load32_u(L('b'), 4 * j)), L('c'))));
      code.push(c.setLocal('s' + j, c.i64_and(L('d'), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_u(L('d'), K(29n))));
    }
    code.push(...condSubQ(c, ql, 's', L('r')));
    f.addCode(...code);
  }

  // r = a − b mod q
  {
    const f = module.addFunction('f29_sub');
    f.addParam('a', 'i32');
    f.addParam('b', 'i32');
    f.addParam('r', 'i32');
    f.addLocal('c', 'i64');
    f.addLocal('d', 'i64');
    for (let j = 0; j < NL; j++) f.addLocal('s' + j, 'i64');
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const code: any[] = [c.setLocal('c', K(0n))];
    for (let j = 0; j < NL; j++) {
      code.push(c.setLocal('d', c.i64_add(c.i64_sub(c.i64_load32_u(L('a'), 4 * j), c.i64_load32_u(L('b'), 4 * j)), L('c'))));
      code.push(c.setLocal('s' + j, c.i64_and(L('d'), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_s(L('d'), K(29n))));
    }
    const addQ: any[] = [c.setLocal('c', K(0n))];
    for (let j = 0; j < NL; j++) {
      addQ.push(c.setLocal('d', c.i64_add(c.i64_add(L('s' + j), K(ql[j]!)), L('c'))));
      addQ.push(c.i64_store32(L('r'), 4 * j, c.i64_and(L('d'), K(MASK))));
      addQ.push(c.setLocal('c', c.i64_shr_u(L('d'), K(29n))));
    }
    const plain: any[] = [];
    for (let j = 0; j < NL; j++) plain.push(c.i64_store32(L('r'), 4 * j, L('s' + j)));
    code.push(c.if(c.i64_eqz(L('c')), plain.flat(), addQ.flat()));
    f.addCode(...code);
  }

  // Whole-element helpers on the 40-byte layout (5 × i64, padding always zero).
  {
    const f = module.addFunction('f29_copy');
    f.addParam('a', 'i32');
    f.addParam('r', 'i32');
    const c = f.getCodeBuilder();
    for (let k = 0; k < 5; k++) f.addCode(c.i64_store(c.getLocal('r'), 8 * k, c.i64_load(c.getLocal('a'), 8 * k)));
  }
  {
    const f = module.addFunction('f29_eq');
    f.addParam('a', 'i32');
    f.addParam('b', 'i32');
    f.setReturnType('i32');
    const c = f.getCodeBuilder();
    let acc: any = null;
    for (let k = 0; k < 5; k++) {
      const x = c.i64_xor(c.i64_load(c.getLocal('a'), 8 * k), c.i64_load(c.getLocal('b'), 8 * k));
      acc = acc ? c.i64_or(acc, x) : x;
    }
    f.addCode(c.i64_eqz(acc));
  }
  {
    const f = module.addFunction('f29_isZero');
    f.addParam('a', 'i32');
    f.setReturnType('i32');
    const c = f.getCodeBuilder();
    let acc: any = null;
    for (let k = 0; k < 5; k++) {
      const x = c.i64_load(c.getLocal('a'), 8 * k);
      acc = acc ? c.i64_or(acc, x) : x;
    }
    f.addCode(c.i64_eqz(acc));
  }
  for (const [name, src] of [
    ['f29_one', pOne],
    ['f29_zero', pZero],
  ] as const) {
    const f = module.addFunction(name);
    f.addParam('r', 'i32');
    const c = f.getCodeBuilder();
    f.addCode(c.call('f29_copy', c.i32_const(src), c.getLocal('r')));
  }
  // r = a²/R' mod q: 45 products (cross terms doubled) into 17 columns, then the 81 of the reduction
  {
    const f = module.addFunction('f29_square');
    f.addParam('a', 'i32');
    f.addParam('r', 'i32');
    for (let j = 0; j < NL; j++) f.addLocal('a' + j, 'i64');
    for (let k = 0; k < 2 * NL - 1; k++) f.addLocal('t' + k, 'i64');
    f.addLocal('m', 'i64');
    f.addLocal('c', 'i64');
    f.addLocal('d', 'i64');
    for (let j = 0; j < NL; j++) f.addLocal('r' + j, 'i64');
    const c = f.getCodeBuilder();
    const L = (n: string) => c.getLocal(n);
    const K = (v: bigint) => c.i64_const(v);
    const code: any[] = [];
    for (let j = 0; j < NL; j++) code.push(c.setLocal('a' + j, c.i64_load32_u(L('a'), 4 * j)));
    for (let k = 0; k < 2 * NL - 1; k++) {
      let cross: any = null;
      for (let i = Math.max(0, k - NL + 1); i < k - i; i++) {
        const p = c.i64_mul(L('a' + i), L('a' + (k - i)));
        cross = cross ? c.i64_add(cross, p) : p;
      }
      let v: any = cross ? c.i64_shl(cross, K(1n)) : null;
      if (k % 2 === 0) {
        const sq = c.i64_mul(L('a' + k / 2), L('a' + k / 2));
        v = v ? c.i64_add(v, sq) : sq;
      }
      code.push(c.setLocal('t' + k, v));
    }
    for (let i = 0; i < NL; i++) {
      code.push(c.setLocal('m', c.i64_and(c.i64_mul(L('t' + i), K(mu)), K(MASK))));
      for (let j = 0; j < NL; j++) code.push(c.setLocal('t' + (i + j), c.i64_add(L('t' + (i + j)), c.i64_mul(L('m'), K(ql[j]!)))));
      code.push(c.setLocal('t' + (i + 1), c.i64_add(L('t' + (i + 1)), c.i64_shr_u(L('t' + i), K(29n)))));
    }
    code.push(c.setLocal('c', K(0n)));
    for (let j = 0; j < NL - 1; j++) {
      code.push(c.setLocal('d', c.i64_add(L('t' + (NL + j)), L('c'))));
      code.push(c.setLocal('r' + j, c.i64_and(L('d'), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_u(L('d'), K(29n))));
    }
    code.push(c.setLocal('r8', L('c')));
    code.push(...condSubQ(c, ql, 'r', L('r')));
    f.addCode(...code);
  }
  {
    const f = module.addFunction('f29_neg');
    f.addParam('a', 'i32');
    f.addParam('r', 'i32');
    const c = f.getCodeBuilder();
    f.addCode(c.call('f29_sub', c.i32_const(pZero), c.getLocal('a'), c.getLocal('r')));
  }

  // 32-byte f1m (R = 2^256) → f29 (R' = 2^261)
  {
    const f = module.addFunction('f29_to');
    f.addParam('x', 'i32');
    f.addParam('r', 'i32');
    const c = f.getCodeBuilder();
    f.addCode(c.call('f1m_mul', c.getLocal('x'), c.i32_const(pUp), c.i32_const(pTmp)));
    for (let j = 0; j < NL; j++) {
      const bit = LB * j;
      const byte = bit >> 3;
      const v = c.i64_and(c.i64_shr_u(c.i64_load(c.i32_const(pTmp + byte)), c.i64_const(BigInt(bit & 7))), c.i64_const(MASK));
      f.addCode(c.i64_store32(c.getLocal('r'), 4 * j, v));
    }
    f.addCode(c.i32_store(c.getLocal('r'), 36, c.i32_const(0)));
  }
  // f29 → 32-byte f1m
  {
    const f = module.addFunction('f29_from');
    f.addParam('x', 'i32');
    f.addParam('r', 'i32');
    const c = f.getCodeBuilder();
    for (let k = 0; k < 8; k++) {
      let w: any = null;
      for (let j = 0; j < NL; j++) {
        const lo = LB * j;
        if (lo >= 32 * k + 32 || lo + LB <= 32 * k) continue;
        const limb = c.i64_load32_u(c.getLocal('x'), 4 * j);
        const part = lo >= 32 * k ? c.i64_shl(limb, c.i64_const(BigInt(lo - 32 * k))) : c.i64_shr_u(limb, c.i64_const(BigInt(32 * k - lo)));
        w = w ? c.i64_or(w, part) : part;
      }
      f.addCode(c.i64_store32(c.i32_const(pTmp), 4 * k, w));
    }
    f.addCode(c.call('f1m_mul', c.i32_const(pTmp), c.i32_const(pDown), c.getLocal('r')));
  }
  for (const n of ['f29_mul', 'f29_square', 'f29_add', 'f29_sub', 'f29_neg', 'f29_copy', 'f29_eq', 'f29_isZero', 'f29_one', 'f29_zero', 'f29_to', 'f29_from'])
    module.exportFunction(n);
}

/**
 * Montgomery multiplication over Fr with 29-bit limbs (9 × 29 = 261 bits, R' = 2^261) for the NTT's
 * data × constant products. 29-bit limb products are < 2^58, so a 64-bit local can absorb the ≤ 9 product
 * pairs that pile up in one limb before any carry is propagated: the CIOS loop is plain multiply-adds and
 * carries move once at the end (the wasmcurves multiplier propagates a carry after every 32×32 product).
 *
 * Operands and result keep the 32-byte little-endian layout (unpacked into limbs on load, packed on
 * store, result fully reduced to [0, q)). Since R' ≠ 2^256, the CONSTANT operand must be pre-scaled:
 * mul29(a·2^256, c·2^261) = a·c·2^256, so data stays in the usual Montgomery form and every constant
 * (twiddles, coset powers, 1/n) is stored as c·2^261 mod q (`toMul29`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const W = 29;
const NL = 9;
const MASK = (1 << W) - 1;

function modInv(a: bigint, m: bigint): bigint {
  let [old, cur] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (cur !== 0n) {
    const qq = old / cur;
    [old, cur] = [cur, old - qq * cur];
    [s0, s1] = [s1, s0 - qq * s1];
  }
  return ((s0 % m) + m) % m;
}

/** Canonical x → the value whose 2^256-Montgomery encoding is x·2^261 (write it with frToMontBytes). */
export function toMul29(x: bigint, q: bigint): bigint {
  return (((x % q) + q) % q * 32n) % q;
}

/** Unpack code (shared with mont29-simd.ts): limb j = bits [29j, 29j+29) of the 256-bit value at p (top limb: 24 bits). */
export function unpack(c: any, p: any[], limb: (j: number) => string, word: (a: number) => string): any[] {
  const K = (x: number) => c.i64_const(x);
  const code: any[] = [];
  for (let a = 0; a < 8; a++) code.push(c.setLocal(word(a), c.i64_load32_u(p, 4 * a)));
  for (let j = 0; j < NL; j++) {
    const start = W * j;
    const a = start >> 5;
    const sh = start & 31;
    let e = c.i64_shr_u(c.getLocal(word(a)), K(sh));
    if (sh + W > 32 && a + 1 < 8) e = c.i64_or(e, c.i64_shl(c.getLocal(word(a + 1)), K(32 - sh)));
    code.push(c.setLocal(limb(j), j === NL - 1 ? e : c.i64_and(e, K(MASK))));
  }
  return code;
}

/** Adds `name(x, y, r)`: r = x·y·2^−261 mod q, reduced; r may alias x or y. */
export function buildMul29(module: any, name: string, q: bigint): void {
  const f = module.addFunction(name);
  f.addParam('x', 'i32');
  f.addParam('y', 'i32');
  f.addParam('r', 'i32');
  for (let i = 0; i < NL; i++) for (const v of ['x', 'y']) f.addLocal(v + 'l' + i, 'i64');
  for (let i = 0; i < 8; i++) f.addLocal('w' + i, 'i64');
  for (let i = 0; i < 8; i++) f.addLocal('S' + i, 'i64');
  for (let i = 0; i < 8; i++) f.addLocal('D' + i, 'i64');
  f.addLocal('t', 'i64');
  f.addLocal('m', 'i64');
  f.addLocal('c', 'i64');
  f.addLocal('f', 'i32');
  const c = f.getCodeBuilder();
  const L = (n: string) => c.getLocal(n);
  const K = (x: number | bigint) => c.i64_const(typeof x === 'bigint' ? x.toString() : x);
  const ql = Array.from({ length: NL }, (_, j) => Number((q >> BigInt(W * j)) & BigInt(MASK)));
  const mu = Number((1n << BigInt(W)) - modInv(q, 1n << BigInt(W)));
  const special = ql[0] === (1 << 28) + 1 && mu === (1 << 28) - 1; // BN254 Fr
  const code: any[] = [];

  code.push(...unpack(c, L('x'), (j) => 'xl' + j, (a) => 'w' + a));
  code.push(...unpack(c, L('y'), (j) => 'yl' + j, (a) => 'w' + a));
  // CIOS, carries deferred: S holds 8 unnormalised limbs of the running (value / 2^29).
  for (let i = 0; i < NL; i++) {
    const xi = L('xl' + i);
    const prod = (j: number) => c.i64_mul(xi, L('yl' + j));
    code.push(c.setLocal('t', i === 0 ? prod(0) : c.i64_add(L('S0'), prod(0))));
    if (special) {
      // q ≡ 2^28 + 1 (mod 2^29), so μ = 2^28 − 1: m = t·μ and m·q0 become shift-and-add.
      code.push(c.setLocal('m', c.i64_and(c.i64_sub(c.i64_shl(L('t'), K(28)), L('t')), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_u(c.i64_add(c.i64_add(L('t'), L('m')), c.i64_shl(L('m'), K(28))), K(W))));
    } else {
      code.push(c.setLocal('m', c.i64_and(c.i64_mul(c.i64_and(L('t'), K(MASK)), K(mu)), K(MASK))));
      code.push(c.setLocal('c', c.i64_shr_u(c.i64_add(L('t'), c.i64_mul(L('m'), K(ql[0]!))), K(W))));
    }
    for (let j = 1; j < NL; j++) {
      let e = c.i64_add(prod(j), c.i64_mul(L('m'), K(ql[j]!)));
      if (i > 0 && j < 8) e = c.i64_add(L('S' + j), e);
      if (j === 1) e = c.i64_add(e, L('c'));
      code.push(c.setLocal('S' + (j - 1), e));
    }
  }
  // Normalise to 29-bit limbs S0..S6 and a wide top limb S7 (value < 2q).
  for (let j = 0; j < 7; j++) {
    code.push(c.setLocal('S' + (j + 1), c.i64_add(L('S' + (j + 1)), c.i64_shr_u(L('S' + j), K(W)))));
    code.push(c.setLocal('S' + j, c.i64_and(L('S' + j), K(MASK))));
  }
  // D = S − q in the same limb shape; keep S where it borrows.
  const qTop = Number(q >> BigInt(W * 7));
  for (let j = 0; j < 8; j++) {
    const qj = j < 7 ? ql[j]! : qTop;
    let e = c.i64_sub(L('S' + j), K(qj));
    if (j > 0) e = c.i64_add(e, c.i64_shr_s(L('c'), K(W)));
    code.push(c.setLocal('c', e));
    code.push(c.setLocal('D' + j, j < 7 ? c.i64_and(L('c'), K(MASK)) : L('c')));
  }
  code.push(c.setLocal('f', c.i64_lt_s(L('c'), K(0))));
  for (let j = 0; j < 8; j++) code.push(c.setLocal('S' + j, [...L('S' + j), ...L('D' + j), ...L('f'), 0x1b]));
  // Pack into 8 little-endian 32-bit words: limb j sits at bit 29j (limb 7 is the top, up to 52 bits).
  for (let a = 0; a < 8; a++) {
    let e: any[] | null = null;
    for (let j = 0; j < 8; j++) {
      const lo = W * j;
      const hi = j < 7 ? lo + W : 256;
      if (hi <= 32 * a || lo >= 32 * a + 32) continue;
      const part = lo >= 32 * a ? c.i64_shl(L('S' + j), K(lo - 32 * a)) : c.i64_shr_u(L('S' + j), K(32 * a - lo));
      e = e ? c.i64_or(e, part) : part;
    }
    code.push(c.i64_store32(L('r'), 4 * a, e!));
  }
  f.addCode(...code);
}

/**
 * Rounded division by a runtime divisor: f = rdiv(c·a·sign(d), |d|) = ⌊(2c·a·sign(d) + |d|) / 2|d|⌋ for a
 * public integer c ≥ 1 and a nonzero cell d (the reference `divRound(p·S, q)` / `divRound(−p·S, −q)`).
 *
 * One row, gate `divvar/c{c}/D{D}/Q{Q}/T{T}`, advice a | d | σ | m | f | r | limbs(m − 1) | limbs(r) |
 * limbs(2m − 1 − r) | limbs(f + 2^(Q−1)), with a and d copied in:
 *   σ·(1 − σ) = 0                      σ = [d < 0]
 *   m − d·(1 − 2σ) = 0                 m = |d|
 *   m − 1 = Σ limbs                    m ∈ [1, 2^D]
 *   2c·a·(1 − 2σ) + m − 2m·f − r = 0
 *   r = Σ limbs,  2m − 1 − r = Σ limbs  r ∈ [0, 2m), both sides (each < 2^(D+1))
 *   f + 2^(Q−1) = Σ limbs              f ∈ [−2^(Q−1), 2^(Q−1))
 * Soundness: for a field element d, at most one σ gives m ∈ [1, 2^D] (d and −d cannot both be small since
 * 2^(D+1) ≪ r_field); then n = 2c·a·(1 − 2σ) + m is fixed and 2m·f + r is injective on the checked ranges
 * (they span 2m·2^Q ≪ r_field integers), so (f, r) is the Euclidean division of n by 2m: the reference
 * rounding. d = 0 has no σ (unprovable); the witness generator throws. Degree 3.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { LimbGroup } from './limbs.ts';

export interface DivVarOptions {
  /** |d| ≤ 2^divisorBits. */
  readonly divisorBits: number;
  /** Signed quotient bits Q. */
  readonly quotientBits: number;
  /** Range-table (limb) bits. */
  readonly tableBits: number;
}

/** Floor division of bigints (toward −∞) for d > 0. */
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

export function divRoundVar(b: CircuitBuilder, a: Value, d: Value, c: number, opts: DivVarOptions): Value {
  if (!Number.isSafeInteger(c) || c < 1) throw new CircuitError(`divvar numerator scale ${c} must be a positive integer`);
  const { divisorBits: D, quotientBits: Q, tableBits: T } = opts;
  const C = BigInt(c);
  const kind = `divvar/c${c}/D${D}/Q${Q}/T${T}`;
  const sel = b.selector(kind);
  const [ca, cd, cs, cm, cf, cr] = [b.advice(0), b.advice(1), b.advice(2), b.advice(3), b.advice(4), b.advice(5)];
  const gm = new LimbGroup(b, 'm-1', D, T, 6);
  const gr = new LimbGroup(b, 'r', D + 1, T, gm.end);
  const gr2 = new LimbGroup(b, '2m-1-r', D + 1, T, gr.end);
  const gf = new LimbGroup(b, 'f', Q, T, gr2.end);
  const H = 1n << BigInt(Q - 1);
  b.gate(kind, () => {
    const q = fixed(sel.index);
    const [A, Dv, S, M, F, R] = [advice(ca.index), advice(cd.index), advice(cs.index), advice(cm.index), advice(cf.index), advice(cr.index)];
    const oneMinus2S = sub(constant(1n), mul(constant(2n), S));
    return [
      mul(q, mul(S, sub(constant(1n), S))),
      mul(q, sub(M, mul(Dv, oneMinus2S))),
      mul(q, sub(sub(M, constant(1n)), gm.sum())),
      mul(q, sub(add(mul(constant(2n * C), mul(A, oneMinus2S)), M), add(mul(constant(2n), mul(M, F)), R))),
      mul(q, sub(R, gr.sum())),
      mul(q, sub(sub(sub(mul(constant(2n), M), constant(1n)), R), gr2.sum())),
      mul(q, sub(add(F, constant(H)), gf.sum())),
    ];
  });
  for (const g of [gm, gr, gr2, gf]) g.lookups(kind, fixed(sel.index));

  if (d.value === 0n) throw new CircuitError(`division of ${a.value} by a zero divisor`);
  const sigma = d.value < 0n ? 1n : 0n;
  const m = sigma ? -d.value : d.value;
  const n = 2n * C * a.value * (1n - 2n * sigma) + m;
  const f = floorDiv(n, 2n * m);
  const r = n - 2n * m * f;
  const ctx = `divvar(${a.value}·${c} / ${d.value})`;
  if (f < -H || f >= H) throw new CircuitError(`${ctx} = ${f} is outside the ${Q}-bit range`);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(ca, row, a);
  b.assignCopy(cd, row, d);
  b.assign(cs, row, sigma);
  b.assign(cm, row, m);
  const out = b.assign(cf, row, f);
  b.assign(cr, row, r);
  gm.assign(row, m - 1n, ctx);
  gr.assign(row, r, ctx);
  gr2.assign(row, 2n * m - 1n - r, ctx);
  gf.assign(row, f + H, ctx);
  return out;
}

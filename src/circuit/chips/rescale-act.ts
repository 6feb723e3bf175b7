/**
 * Rescale and activation in one row: q = rdiv(a, 2^s) in the B-bit signed range, then y = max(q, 0)
 * (ReLU) or y = min(max(q, 0), hi) (ReLU6 and Clip(0, hi)), where rescale.ts, a range check and the
 * activation's own row took three rows (four for a clip). Range checks go by limbs of at most T bits in
 * the same row, so no range needs a table wider than 2^T. Without an activation ('none') the row is the
 * rescale alone: a | q | r-limbs | limbs of q + H over B bits (q + H ∈ [0, 2^B): q in the signed range),
 * one row where rescale.ts with limbs took three.
 *
 * Gate `rescale-act/s{s}/B{B}/T{T}/{relu | clip{hi}}` on advice a | q | σ | y | r-limbs | q-limbs
 * (| τ | d-limbs for a clip), with S = 2^s, H = 2^(B−1):
 *   2a + S − 2S·q − Σ r_i·2^(T·i) = 0               (r = Σ r_i·2^(T·i) ∈ [0, 2S): the rounding remainder)
 *   σ·(1 − σ) = 0,   q + σ·H − Σ u_i·2^(T·i) = 0    (so q + σ·H ∈ [0, H))
 *   ReLU:  y − (1 − σ)·q = 0
 *   clip:  τ·(1 − τ) = 0,   hi − q + τ·(2q − 2hi − 1) − Σ v_i·2^(T·i) = 0   (a B-bit d ≥ 0),
 *          y − (1 − σ − τ)·q − τ·hi = 0
 * every limb looked up in [0, 2^T) (the top one of each value in its own narrower range; range.ts limbLookup).
 *
 * Soundness: the limbs pin integers in their ranges (at most 2^(B+1) ≪ r, so nothing wraps). σ = 0 makes
 * q ∈ [0, H) and σ = 1 makes q ∈ [−H, 0): disjoint sets of field elements, so σ = [q < 0] is unique and q
 * is a B-bit signed integer. Then 2S·q + r with r ∈ [0, 2S) is injective, so (q, r) is the unique
 * rounding of a (the reference rdiv) when it lies in the range, and no assignment exists otherwise (the
 * witness generator refuses it). For the clip, τ = 0 needs hi − q ≥ 0 and τ = 1 needs q − hi − 1 ≥ 0
 * (both below 2^B as |q − hi| < 2H), again disjoint, so τ = [q > hi]; σ and τ are never both 1 (q < 0 ≤
 * hi), and y is q, 0 or hi as the cases require. a is copied in; q and y are the outputs. Degree 3.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub, type Column, type Expr } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { limbLookup } from './range.ts';
import { limbLayout, limbsOf } from './limbs.ts';

/** The activation applied to the rescaled value ('none': the rescale alone, y = q). */
export type RescaleActivation = { kind: 'none' } | { kind: 'relu' } | { kind: 'clip'; hi: bigint };

export interface RescaleActCells {
  /** The rescaled value rdiv(a, 2^s). */
  readonly q: Value;
  /** The activation of q. */
  readonly y: Value;
}

const floorDiv = (n: bigint, d: bigint): bigint => {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
};

/**
 * Checks a rescale's parameters (shift s, activation bits B, limb bits T, activation) and returns its
 * constants: S = 2^s, H = 2^(B−1), and the clip bound (0 without a clip). Shared with the depthwise rows.
 */
export function rescaleConstants(s: number, B: number, T: number, act: RescaleActivation): { S: bigint; H: bigint; hi: bigint } {
  if (!Number.isInteger(s) || s < 0) throw new CircuitError(`rescale by 2^${s}: s must be a non-negative integer`);
  if (!Number.isInteger(B) || B < 2 || B > 100) throw new CircuitError(`activation range of ${B} bits`);
  if (!Number.isInteger(T) || T < 1 || T > 16) throw new CircuitError(`range tables of ${T} bits`);
  const H = 1n << BigInt(B - 1);
  const hi = act.kind === 'clip' ? act.hi : 0n;
  if (act.kind === 'clip' && (hi < 0n || hi >= H)) throw new CircuitError(`clip bound ${hi} is outside [0, 2^${B - 1})`);
  return { S: 1n << BigInt(s), H, hi };
}

export function rescaleActivation(b: CircuitBuilder, a: Value, s: number, B: number, T: number, act: RescaleActivation): RescaleActCells {
  const { S, H, hi } = rescaleConstants(s, B, T, act);
  const clip = act.kind === 'clip';
  const none = act.kind === 'none';
  const R = limbLayout(s + 1, T);
  const U = limbLayout(none ? B : B - 1, T);
  const V = limbLayout(B, T);
  const kind = `rescale-act/s${s}/B${B}/T${T}/${clip ? `clip${hi}` : act.kind}`;
  const sel = b.selector(kind);
  let next = 0;
  const col = () => b.advice(next++);
  const [ca, cq] = [col(), col()];
  const [cs, cy] = none ? [undefined, undefined] : [col(), col()];
  const rCols = Array.from({ length: R.L }, col);
  const uCols = Array.from({ length: U.L }, col);
  const ct = clip ? col() : undefined;
  const vCols = clip ? Array.from({ length: V.L }, col) : [];
  const composed = (cols: { index: number }[]): Expr => add(...cols.map((c, i) => mul(constant(1n << BigInt(T * i)), advice(c.index))));
  b.gate(kind, () => {
    const on = fixed(sel.index);
    const [A, Q] = [advice(ca.index), advice(cq.index)];
    const remainder = sub(add(mul(constant(2n), A), constant(S)), add(mul(constant(2n * S), Q), composed(rCols)));
    if (none) return [remainder, sub(add(Q, constant(H)), composed(uCols))].map((p) => mul(on, p));
    const [Sg, Y] = [advice(cs!.index), advice(cy!.index)];
    const polys = [
      remainder,
      mul(Sg, sub(constant(1n), Sg)),
      sub(add(Q, mul(Sg, constant(H))), composed(uCols)),
    ];
    if (!clip) polys.push(sub(Y, mul(sub(constant(1n), Sg), Q)));
    else {
      const Tau = advice(ct!.index);
      polys.push(
        mul(Tau, sub(constant(1n), Tau)),
        sub(add(sub(constant(hi), Q), mul(Tau, sub(mul(constant(2n), Q), constant(2n * hi + 1n)))), composed(vCols)),
        sub(Y, add(mul(sub(sub(constant(1n), Sg), Tau), Q), mul(Tau, constant(hi)))),
      );
    }
    return polys.map((p) => mul(on, p));
  });
  const lookups = (what: string, cols: Column[], layout: { L: number; top: number }) =>
    cols.forEach((c, i) => limbLookup(b, `${kind}: ${what} limb ${i}`, c, i === layout.L - 1 ? layout.top : T, fixed(sel.index)));
  lookups('remainder', rCols, R);
  lookups('value', uCols, U);
  if (clip) lookups('bound', vCols, V);

  const q = floorDiv(2n * a.value + S, 2n * S);
  const r = 2n * a.value + S - 2n * S * q;
  if (q < -H || q >= H) throw new CircuitError(`rescale of ${a.value} by 2^${s} gives ${q}, outside the ${B}-bit activation range [${-H}, ${H})`);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(ca, row, a);
  const qv = b.assign(cq, row, q);
  limbsOf(r, R.L, T).forEach((l, i) => b.assign(rCols[i]!, row, l));
  if (none) {
    limbsOf(q + H, U.L, T).forEach((l, i) => b.assign(uCols[i]!, row, l));
    return { q: qv, y: qv };
  }
  const sigma = q < 0n ? 1n : 0n;
  const tau = clip && q > hi ? 1n : 0n;
  const y = sigma ? 0n : tau ? hi : q;
  b.assign(cs!, row, sigma);
  const yv = b.assign(cy!, row, y);
  limbsOf(q + sigma * H, U.L, T).forEach((l, i) => b.assign(uCols[i]!, row, l));
  if (clip) {
    b.assign(ct!, row, tau);
    limbsOf(tau ? q - hi - 1n : hi - q, V.L, T).forEach((l, i) => b.assign(vCols[i]!, row, l));
  }
  return { q: qv, y: yv };
}

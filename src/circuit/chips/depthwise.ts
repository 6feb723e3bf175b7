/**
 * One output of a window that only one output reads (a depthwise conv: each channel its own weights) per
 * row: y = act(rdiv(Σ_j x_j·w_j + β, 2^s)), the K products, the bias, the rounding and the activation in
 * one gate. The shared-input dot rows (dot-multi.ts) gain nothing here — no other output reads the window —
 * and a W-wide dot row took ⌈K/W⌉ + 1 rows plus a rescale(-act) row per output; this takes one, K + 7
 * advice columns wide for a clip whose ranges fit one limb each (K = 9 for a 3×3 kernel: 16, as wide as
 * the 8×8 dot rows).
 *
 * Gate `depthwise/K{K}/s{s}/B{B}/T{T}/{none | relu | clip{hi}}`, S = 2^s, H = 2^(B−1), on
 *   advice x_0..x_{K−1} | q | (σ | y | τ) | r-limbs | u-limbs | (v-limbs),   fixed w_0..w_{K−1} | β
 * (the fixed columns are the caller's: the compiler puts them in the dot rows' weight columns):
 *   2(Σ_j x_j·w_j + β) + S − 2S·q − Σ r_i·2^(T·i) = 0      (r ∈ [0, 2S): the rounding remainder)
 *   none:  q + H − Σ u_i·2^(T·i) = 0                       (q ∈ [−H, H))
 *   relu / clip: σ·(1 − σ) = 0,  q + σ·H − Σ u_i·2^(T·i) = 0  (u over B − 1 bits), and
 *     ReLU:  y − (1 − σ)·q = 0
 *     clip:  τ·(1 − τ) = 0,  σ·τ = 0,  (1 − σ)·(hi − q + τ·(2q − 2hi − 1)) − Σ v_i·2^(T·i) = 0  (v over B − 1 bits),
 *            y − (1 − σ − τ)·q − τ·hi = 0
 * every limb looked up in range{T} (the top one of each value narrower, limbs.ts).
 *
 * Soundness: every x_j is copied from its source (a tap outside the input, the constant 0) and the
 * weights and β are fixed, so a = Σ x_j·w_j + β is a field element the prover cannot choose. The limbs
 * pin integers (at most 2^(s+1) and 2^B ≪ r, no wrap). σ = 0 makes q ∈ [0, H) and σ = 1 makes
 * q ∈ [−H, 0): disjoint, so σ = [q < 0] is unique and q is a B-bit signed integer; 2S·q + r with
 * r ∈ [0, 2S) is then injective, so (q, r) is the unique rounding of a (the reference rdiv), and no
 * assignment exists when it is out of range. Clip: σ = 1 forces τ = 0, v = 0 and y = 0. σ = 0 (q ∈ [0, H)):
 * τ = 0 needs hi − q ∈ [0, H), i.e. q ≤ hi, and τ = 1 needs q − hi − 1 ∈ [0, H), i.e. q > hi — disjoint,
 * so τ = [q > hi] and y is q or hi (rescale-act.ts checks hi − q over B bits for every q; multiplying by
 * 1 − σ confines it to q ≥ 0, where B − 1 bits suffice: one limb less). Without an activation the u limbs
 * put q itself in the B-bit signed range. q and y are the outputs (the same cell without an activation).
 * Degree 3, and 4 for the clip's bound (selector · (1 − σ) · τ · q), within the degree the range lookups
 * already need.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub, type Column, type Expr } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { LimbGroup } from './limbs.ts';
import { rescaleConstants, type RescaleActivation } from './rescale-act.ts';

/** Per builder, the fixed columns each gate kind reads its weights and bias from. */
const weightColumnsOf = new WeakMap<CircuitBuilder, Map<string, string>>();

/** The activation applied in the row: none (a plain rescale), ReLU, or clip to [0, hi]. */
export type WindowActivation = RescaleActivation | { kind: 'none' };

export interface DepthwiseRowOptions {
  /** Products per row K (the window's taps). */
  readonly taps: number;
  /** Scale bits s, signed activation bits B, range-table bits T. */
  readonly s: number;
  readonly B: number;
  readonly T: number;
  readonly act: WindowActivation;
  /**
   * Fixed column of weight slot j < K, and of the bias (slot K); default: the chip's own. The gate is made
   * once per kind, so every call of one kind must name the same columns (checked).
   */
  readonly weightColumn?: (slot: number) => Column;
}

export interface DepthwiseCells {
  /** rdiv(Σ x·w + β, 2^s). */
  readonly q: Value;
  /** Its activation (q itself without one). */
  readonly y: Value;
}

/**
 * Registers the gate and returns the row writer: `row(xs, ws, bias)` lays out one output over the taps
 * xs[i] with weights ws[i] in slots slot[i] (default i), unused slots reading the constant 0 with weight 0.
 * ws and bias are integers (numbers within ±2^53, the quantized weights at 2^s and bias at 2^2s).
 */
export function depthwiseRows(
  b: CircuitBuilder,
  opts: DepthwiseRowOptions,
): (xs: readonly Value[], ws: ArrayLike<number>, bias: number, slots?: ArrayLike<number>) => DepthwiseCells {
  const { taps: K, s, B, T, act } = opts;
  if (!Number.isInteger(K) || K < 1) throw new CircuitError(`depthwise row of ${K} products`);
  const { S, H, hi } = rescaleConstants(s, B, T, act);
  const clip = act.kind === 'clip';
  const signed = act.kind !== 'none';
  const kind = `depthwise/K${K}/s${s}/B${B}/T${T}/${act.kind === 'clip' ? `clip${hi}` : act.kind}`;
  const sel = b.selector(kind);
  const wColOf = opts.weightColumn ?? ((j: number) => b.fixed(`depthwise/${K}:${j < K ? `w${j}` : 'bias'}`));
  const xCols = Array.from({ length: K }, (_, j) => b.advice(j));
  const wCols = Array.from({ length: K + 1 }, (_, j) => wColOf(j));
  const kinds = weightColumnsOf.get(b) ?? new Map<string, string>();
  weightColumnsOf.set(b, kinds);
  const named = wCols.map((c) => c.index).join(',');
  if ((kinds.get(kind) ?? named) !== named) throw new CircuitError(`${kind}: weight columns [${named}] differ from the gate's [${kinds.get(kind)}]`);
  kinds.set(kind, named);
  let next = K;
  const cq = b.advice(next++);
  const cs = signed ? b.advice(next++) : undefined;
  const cy = signed ? b.advice(next++) : undefined;
  const ct = clip ? b.advice(next++) : undefined;
  const r = new LimbGroup(b, 'remainder', s + 1, T, next);
  const u = new LimbGroup(b, 'value', signed ? B - 1 : B, T, r.end);
  const v = clip ? new LimbGroup(b, 'bound', B - 1, T, u.end) : undefined;
  b.gate(kind, () => {
    const on = fixed(sel.index);
    const Q = advice(cq.index);
    const acc = add(...xCols.map((c, j) => mul(advice(c.index), fixed(wCols[j]!.index))), fixed(wCols[K]!.index));
    const polys: Expr[] = [sub(add(mul(constant(2n), acc), constant(S)), add(mul(constant(2n * S), Q), r.sum()))];
    if (!signed) polys.push(sub(add(Q, constant(H)), u.sum()));
    else {
      const Sg = advice(cs!.index);
      const Y = advice(cy!.index);
      polys.push(mul(Sg, sub(constant(1n), Sg)), sub(add(Q, mul(Sg, constant(H))), u.sum()));
      if (!clip) polys.push(sub(Y, mul(sub(constant(1n), Sg), Q)));
      else {
        const Tau = advice(ct!.index);
        polys.push(
          mul(Tau, sub(constant(1n), Tau)),
          mul(Sg, Tau),
          sub(mul(sub(constant(1n), Sg), add(sub(constant(hi), Q), mul(Tau, sub(mul(constant(2n), Q), constant(2n * hi + 1n))))), v!.sum()),
          sub(Y, add(mul(sub(sub(constant(1n), Sg), Tau), Q), mul(Tau, constant(hi)))),
        );
      }
    }
    return polys.map((p) => mul(on, p));
  });
  const on = fixed(sel.index);
  r.lookups(kind, on);
  u.lookups(kind, on);
  v?.lookups(kind, on);

  const used = new Uint8Array(K);
  return (xs, ws, bias, slots) => {
    const n = xs.length;
    if (n > K || ws.length !== n || (slots && slots.length !== n)) throw new CircuitError(`depthwise row of ${K} slots given ${n} inputs and ${ws.length} weights`);
    const row = b.region(1);
    b.enable(kind, row);
    used.fill(0);
    let a = BigInt(bias);
    for (let i = 0; i < n; i++) {
      const j = slots ? slots[i]! : i;
      if (!(j >= 0 && j < K) || used[j]) throw new CircuitError(`depthwise row: slot ${j} is outside [0, ${K}) or used twice`);
      used[j] = 1;
      const w = ws[i]!;
      const x = b.assignCopy(xCols[j]!, row, xs[i]!);
      if (w !== 0) {
        b.setFixed(wCols[j]!, row, w);
        a += x.value * BigInt(w);
      }
    }
    // Unused slots read the constant 0 (weight 0 in the key), so that no x cell is left free.
    for (let j = 0; j < K; j++) if (!used[j]) b.assignCopy(xCols[j]!, row, b.constant(0));
    if (bias !== 0) b.setFixed(wCols[K]!, row, bias);
    // q = rdiv(a, S) = ⌊(2a + S) / 2S⌋ (toward −∞), r its remainder.
    const num = 2n * a + S;
    let q = num / (2n * S);
    if (num % (2n * S) !== 0n && num < 0n) q -= 1n;
    if (q < -H || q >= H) throw new CircuitError(`rescale of ${a} by 2^${s} gives ${q}, outside the ${B}-bit activation range [${-H}, ${H})`);
    const qv = b.assign(cq, row, q);
    r.assign(row, num - 2n * S * q, kind);
    if (!signed) {
      u.assign(row, q + H, kind);
      return { q: qv, y: qv };
    }
    const sigma = q < 0n ? 1n : 0n;
    const tau = clip && q > hi ? 1n : 0n;
    b.assign(cs!, row, sigma);
    const yv = b.assign(cy!, row, sigma ? 0n : tau ? hi : q);
    u.assign(row, q + sigma * H, kind);
    if (clip) {
      b.assign(ct!, row, tau);
      v!.assign(row, sigma ? 0n : tau ? q - hi - 1n : hi - q, kind);
    }
    return { q: qv, y: yv };
  };
}

/**
 * Compiler-local gadgets on top of the CircuitBuilder (same soundness conventions as src/circuit/chips).
 *
 * - {@link rangedInput}: a private model input assigned in the row of its own range check (no extra copy):
 *   x + 2^(B−1) = Σ l_i·2^(T·i), each limb looked up in a range table, so x ∈ [−2^(B−1), 2^(B−1)).
 * - {@link reluSigned}: ReLU for B-bit signed values without a 2^B-row table, by a sign bit σ:
 *     σ·(1 − σ) = 0,   y − (1 − σ)·x = 0,   x + σ·2^(B−1) = Σ l_i·2^(T·i) with limbs in range tables,
 *   so x + σ·2^(B−1) ∈ [0, 2^(B−1)). σ = 0 forces x ∈ [0, 2^(B−1)) and y = x; σ = 1 forces
 *   x ∈ [−2^(B−1), 0) and y = 0; hence y = max(x, 0) and σ is unique (x = 0 gives σ = 0). x is copied in.
 */
import { CircuitError } from '../errors.ts';
import { add, advice, constant, fixed, mul, sub } from '../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../circuit/builder.ts';
import { rangeTable } from '../circuit/chips/range.ts';

function limbLayout(bits: number, T: number): { L: number; top: number } {
  if (!Number.isInteger(bits) || bits < 1 || bits > 120) throw new CircuitError(`range of ${bits} bits is not supported`);
  const L = Math.ceil(bits / T);
  return { L, top: bits - T * (L - 1) };
}

function limbsOf(x: bigint, L: number, T: number): bigint[] {
  const mask = (1n << BigInt(T)) - 1n;
  return Array.from({ length: L }, (_, i) => (x >> BigInt(T * i)) & mask);
}

/** A private input cell in [−2^(bits−1), 2^(bits−1)), range-checked by limbs of T bits in its own row. */
export function rangedInput(b: CircuitBuilder, v: bigint, bits: number, T: number): Value {
  const { L, top } = limbLayout(bits, T);
  const half = 1n << BigInt(bits - 1);
  const kind = `input/${bits}/${T}`;
  const sel = b.selector(kind);
  const cx = b.advice(0);
  const limbCols = Array.from({ length: L }, (_, i) => b.advice(1 + i));
  const limbT = rangeTable(b, T);
  const topT = rangeTable(b, top);
  b.gate(kind, () => {
    const sum = add(...limbCols.map((c, i) => mul(constant(1n << BigInt(T * i)), advice(c.index))));
    return [mul(fixed(sel.index), sub(add(advice(cx.index), constant(half)), sum))];
  });
  limbCols.forEach((c, i) => b.lookup(`${kind}: limb ${i}`, i === L - 1 ? topT : limbT, fixed(sel.index), () => [advice(c.index)]));
  if (v < -half || v >= half) throw new CircuitError(`input value ${v} is outside the ${bits}-bit input range [${-half}, ${half})`);
  const row = b.region(1);
  b.enable(kind, row);
  const out = b.assign(cx, row, v);
  limbsOf(v + half, L, T).forEach((l, i) => b.assign(limbCols[i]!, row, l));
  return out;
}

/** y = max(x, 0) for x ∈ [−2^(bits−1), 2^(bits−1)), one row, limbs of T bits. */
export function reluSigned(b: CircuitBuilder, x: Value, bits: number, T: number): Value {
  if (bits < 2) throw new CircuitError(`relu of ${bits}-bit values`);
  const { L, top } = limbLayout(bits - 1, T);
  const H = 1n << BigInt(bits - 1);
  const kind = `relu-sign/${bits}/${T}`;
  const sel = b.selector(kind);
  const [cx, cs, cy] = [b.advice(0), b.advice(1), b.advice(2)];
  const limbCols = Array.from({ length: L }, (_, i) => b.advice(3 + i));
  const limbT = rangeTable(b, T);
  const topT = rangeTable(b, top);
  b.gate(kind, () => {
    const q = fixed(sel.index);
    const [X, S, Y] = [advice(cx.index), advice(cs.index), advice(cy.index)];
    const sum = add(...limbCols.map((c, i) => mul(constant(1n << BigInt(T * i)), advice(c.index))));
    return [
      mul(q, mul(S, sub(constant(1n), S))),
      mul(q, sub(Y, mul(sub(constant(1n), S), X))),
      mul(q, sub(add(X, mul(S, constant(H))), sum)),
    ];
  });
  limbCols.forEach((c, i) => b.lookup(`${kind}: limb ${i}`, i === L - 1 ? topT : limbT, fixed(sel.index), () => [advice(c.index)]));
  if (x.value < -H || x.value >= H) throw new CircuitError(`relu input ${x.value} is outside the ${bits}-bit activation range [${-H}, ${H})`);
  const sigma = x.value < 0n ? 1n : 0n;
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(cx, row, x);
  b.assign(cs, row, sigma);
  const y = b.assign(cy, row, sigma ? 0n : x.value);
  limbsOf(x.value + sigma * H, L, T).forEach((l, i) => b.assign(limbCols[i]!, row, l));
  return y;
}

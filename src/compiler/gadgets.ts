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
import { limbLookup } from '../circuit/chips/range.ts';
import { LimbGroup, limbLayout, limbsOf } from '../circuit/chips/limbs.ts';

/** A private input cell in [−2^(bits−1), 2^(bits−1)), range-checked by limbs of T bits in its own row. */
export function rangedInput(b: CircuitBuilder, v: bigint, bits: number, T: number): Value {
  const { L, top } = limbLayout(bits, T);
  const half = 1n << BigInt(bits - 1);
  const kind = `input/${bits}/${T}`;
  const sel = b.selector(kind);
  const cx = b.advice(0);
  const limbCols = Array.from({ length: L }, (_, i) => b.advice(1 + i));
  b.gate(kind, () => {
    const sum = add(...limbCols.map((c, i) => mul(constant(1n << BigInt(T * i)), advice(c.index))));
    return [mul(fixed(sel.index), sub(add(advice(cx.index), constant(half)), sum))];
  });
  limbCols.forEach((c, i) => limbLookup(b, `${kind}: limb ${i}`, c, i === L - 1 ? top : T, fixed(sel.index)));
  if (v < -half || v >= half) throw new CircuitError(`input value ${v} is outside the ${bits}-bit input range [${-half}, ${half})`);
  const row = b.region(1);
  b.enable(kind, row);
  const out = b.assign(cx, row, v);
  limbsOf(v + half, L, T).forEach((l, i) => b.assign(limbCols[i]!, row, l));
  return out;
}

/** Inputs per row of {@link rangedInputs} for `bits`-bit values with T-bit limbs in at most `columns` advice columns (at least 1). */
export function inputsPerRowFor(bits: number, T: number, columns: number): number {
  return Math.max(1, Math.floor(columns / (1 + limbLayout(bits, T).L)));
}

/**
 * Private model inputs, `perRow` to a row, each range-checked like {@link rangedInput}: x_p + 2^(bits−1) =
 * Σ_i l_{p,i}·2^(T·i), limbs looked up. Slot p's limbs sit in columns p·L .. p·L + L − 1 and its value in
 * column perRow·L + p, so every row's limbs share the columns (and the logUp inputs, builder taggedLookup)
 * of the chips' limbs. The last row's unused slots are copies of the constant 0: no cell is left free.
 * One row per `perRow` inputs instead of one each: an MLP's 784 pixels take 157–196 rows, not 784.
 */
export function rangedInputs(b: CircuitBuilder, values: readonly bigint[], bits: number, T: number, perRow: number): Value[] {
  if (perRow <= 1) return values.map((v) => rangedInput(b, v, bits, T));
  const { L } = limbLayout(bits, T);
  const half = 1n << BigInt(bits - 1);
  const kind = `inputs/${bits}/${T}/x${perRow}`;
  const sel = b.selector(kind);
  const slots = Array.from({ length: perRow }, (_, p) => ({ limbs: new LimbGroup(b, `slot ${p}`, bits, T, p * L), value: b.advice(perRow * L + p) }));
  b.gate(kind, () => slots.map(({ limbs, value }) => mul(fixed(sel.index), sub(add(advice(value.index), constant(half)), limbs.sum()))));
  for (const { limbs } of slots) limbs.lookups(kind, fixed(sel.index));
  for (const v of values) if (v < -half || v >= half) throw new CircuitError(`input value ${v} is outside the ${bits}-bit input range [${-half}, ${half})`);
  const out: Value[] = [];
  for (let at = 0; at < values.length; at += perRow) {
    const row = b.region(1);
    b.enable(kind, row);
    slots.forEach(({ limbs, value }, p) => {
      const v = values[at + p];
      if (v === undefined) b.assignCopy(value, row, b.constant(0));
      else out.push(b.assign(value, row, v));
      limbs.assign(row, (v ?? 0n) + half, kind);
    });
  }
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
  limbCols.forEach((c, i) => limbLookup(b, `${kind}: limb ${i}`, c, i === L - 1 ? top : T, fixed(sel.index)));
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

/**
 * {@link selectCmp}: max(a, c) or min(a, c) for integers with |a − c| < 2^K, by a sign bit σ of d = a − c.
 * One row, advice a | c | σ | y | limbs (a and c copied in):
 *   σ·(1 − σ) = 0,   d + σ·2^K = Σ l_i·2^(T·i)  (limbs in range tables, so d + σ·2^K ∈ [0, 2^K)),
 *   max: y − a + σ·d = 0       min: y − c − σ·d = 0.
 * σ = 0 forces d ∈ [0, 2^K) (a ≥ c); σ = 1 forces d ∈ [−2^K, 0) (a < c). The two sets are disjoint in the
 * field (2^(K+1) ≪ r), so σ is unique and equals [a < c]; then y = a − σ·d = max(a, c) (resp.
 * y = c + σ·d = min(a, c)). If |a − c| ≥ 2^K no σ satisfies the row (unprovable, never wrong); the witness
 * generator throws.
 */
export function selectCmp(b: CircuitBuilder, a: Value, c: Value, mode: 'max' | 'min', K: number, T: number): Value {
  return compareRow(b, a, c, mode, K, T).y;
}

/** [a < c] as a cell: the σ of a {@link selectCmp} row (unique, so the bit itself is constrained). */
export function lessBit(b: CircuitBuilder, a: Value, c: Value, K: number, T: number): Value {
  return compareRow(b, a, c, 'min', K, T).sigma;
}

function compareRow(b: CircuitBuilder, a: Value, c: Value, mode: 'max' | 'min', K: number, T: number): { y: Value; sigma: Value } {
  const { L, top } = limbLayout(K, T);
  const P = 1n << BigInt(K);
  const kind = `cmp-${mode}/${K}/${T}`;
  const sel = b.selector(kind);
  const [ca, cc, cs, cy] = [b.advice(0), b.advice(1), b.advice(2), b.advice(3)];
  const limbCols = Array.from({ length: L }, (_, i) => b.advice(4 + i));
  b.gate(kind, () => {
    const q = fixed(sel.index);
    const [A, C, S, Y] = [advice(ca.index), advice(cc.index), advice(cs.index), advice(cy.index)];
    const D = sub(A, C);
    const sum = add(...limbCols.map((col, i) => mul(constant(1n << BigInt(T * i)), advice(col.index))));
    return [
      mul(q, mul(S, sub(constant(1n), S))),
      mul(q, sub(add(D, mul(S, constant(P))), sum)),
      mode === 'max' ? mul(q, add(sub(Y, A), mul(S, D))) : mul(q, sub(sub(Y, C), mul(S, D))),
    ];
  });
  limbCols.forEach((col, i) => limbLookup(b, `${kind}: limb ${i}`, col, i === L - 1 ? top : T, fixed(sel.index)));
  const d = a.value - c.value;
  if (d < -P || d >= P) throw new CircuitError(`comparison of ${a.value} and ${c.value}: difference outside [−2^${K}, 2^${K})`);
  const sigma = d < 0n ? 1n : 0n;
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(ca, row, a);
  b.assignCopy(cc, row, c);
  const sigmaCell = b.assign(cs, row, sigma);
  const y = b.assign(cy, row, mode === 'max' ? a.value - sigma * d : c.value + sigma * d);
  limbsOf(d + sigma * P, L, T).forEach((l, i) => b.assign(limbCols[i]!, row, l));
  return { y, sigma: sigmaCell };
}

/**
 * {@link divRoundConst}: q = rdiv(a, c) = ⌊(2a + c) / 2c⌋ for a public integer c ≥ 1 (the reference
 * `divRound`). One row, advice a | q | r | limbs(r) | limbs(2c − 1 − r) | limbs(q + 2^(Q−1)), a copied in:
 *   2a + c − 2c·q − r = 0,   r = Σ l,   2c − 1 − r = Σ l',   q + 2^(Q−1) = Σ l''   (limbs in range tables)
 * so r ∈ [0, 2c) (both sides) and q ∈ [−2^(Q−1), 2^(Q−1)). 2c·q + r is injective on those ranges and spans
 * 2c·2^Q ≪ r_field integers, so (q, r) is unique for the field element a: the Euclidean division of 2a + c
 * by 2c, i.e. the reference rounding.
 */
export function divRoundConst(b: CircuitBuilder, a: Value, c: number, Q: number, T: number): Value {
  if (!Number.isSafeInteger(c) || c < 1) throw new CircuitError(`division by ${c}: must be a positive integer`);
  const C = BigInt(c);
  const rBits = bitsOf(2n * C - 1n);
  const rl = limbLayout(rBits, T);
  const ql = limbLayout(Q, T);
  const H = 1n << BigInt(Q - 1);
  const kind = `divround/${c}/${Q}/${T}`;
  const sel = b.selector(kind);
  const [ca, cq, cr] = [b.advice(0), b.advice(1), b.advice(2)];
  const r1 = Array.from({ length: rl.L }, (_, i) => b.advice(3 + i));
  const r2 = Array.from({ length: rl.L }, (_, i) => b.advice(3 + rl.L + i));
  const qq = Array.from({ length: ql.L }, (_, i) => b.advice(3 + 2 * rl.L + i));
  const sumOf = (cols: typeof r1) => add(...cols.map((col, i) => mul(constant(1n << BigInt(T * i)), advice(col.index))));
  b.gate(kind, () => {
    const s = fixed(sel.index);
    const [A, Qv, R] = [advice(ca.index), advice(cq.index), advice(cr.index)];
    return [
      mul(s, sub(add(mul(constant(2n), A), constant(C)), add(mul(constant(2n * C), Qv), R))),
      mul(s, sub(R, sumOf(r1))),
      mul(s, sub(sub(constant(2n * C - 1n), R), sumOf(r2))),
      mul(s, sub(add(Qv, constant(H)), sumOf(qq))),
    ];
  });
  const lk = (cols: typeof r1, lay: { L: number; top: number }, what: string) =>
    cols.forEach((col, i) => limbLookup(b, `${kind}: ${what} limb ${i}`, col, i === lay.L - 1 ? lay.top : T, fixed(sel.index)));
  lk(r1, rl, 'r');
  lk(r2, rl, '2c-1-r');
  lk(qq, ql, 'q');
  const n = 2n * a.value + C;
  const d = 2n * C;
  let q = n / d;
  if (n % d !== 0n && n < 0n) q -= 1n;
  const r = n - d * q;
  if (q < -H || q >= H) throw new CircuitError(`rdiv(${a.value}, ${c}) = ${q} is outside the ${Q}-bit range`);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(ca, row, a);
  const out = b.assign(cq, row, q);
  b.assign(cr, row, r);
  limbsOf(r, rl.L, T).forEach((l, i) => b.assign(r1[i]!, row, l));
  limbsOf(2n * C - 1n - r, rl.L, T).forEach((l, i) => b.assign(r2[i]!, row, l));
  limbsOf(q + H, ql.L, T).forEach((l, i) => b.assign(qq[i]!, row, l));
  return out;
}

function bitsOf(v: bigint): number {
  let n = 1;
  while (v >= 1n << BigInt(n)) n++;
  return n;
}

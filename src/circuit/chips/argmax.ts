/**
 * ArgMax of n cells with the index constrained (the reference tie rule: first or last maximum).
 *
 * Region of n rows, row j holds element j: advice x | h | P | I | M | m | limbs(t), x copied in, a fixed
 * column j (the element's index). Gate `argmax-{mode}/K/T`, each part on its own selector:
 *   every row:     h·(1 − h) = 0;   t = Σ limbs ∈ [0, 2^K) with t = m − x − 1 + P   (first)
 *                                                             t = m − x − P + h   (last)
 *   row 0:         P − h = 0,  I − j·h = 0,  M − h·x = 0
 *   rows j → j+1:  P' = P + h',  I' = I + j'·h',  M' = M + h'·x',  m' = m
 *   row n − 1:     P = 1,  M = m                      (index = I, max = m on the last row)
 * Soundness: h is a boolean vector whose running sum P ends at 1 (n ≪ r, no wrap-around), so it is
 * one-hot at some i, P_j = [j ≥ i],
 * I = i and M = x_i = m. The range checks give, for 'first', m − x_j ≥ 1 for j < i and m − x_j ≥ 0 for
 * j ≥ i (for 'last': m − x_j ≥ 0 for j ≤ i, ≥ 1 for j > i), so m is the maximum and i is its first (last)
 * occurrence: (h, P, I, M, m, t) is unique. Differences must be below 2^K in magnitude (else unprovable;
 * the witness generator throws). Degree 3.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { LimbGroup } from './limbs.ts';

export function argMax(b: CircuitBuilder, xs: readonly Value[], mode: 'first' | 'last', K: number, T: number): { index: Value; max: Value } {
  const n = xs.length;
  if (n < 1) throw new CircuitError('argmax of no elements');
  const kind = `argmax-${mode}/${K}/${T}`;
  const [selAll, selStart, selStep, selEnd] = [b.selector(kind), b.selector(`${kind}:start`), b.selector(`${kind}:step`), b.selector(`${kind}:end`)];
  const jCol = b.fixed('argmax:j');
  const [cx, ch, cp, ci, cM, cm] = [b.advice(0), b.advice(1), b.advice(2), b.advice(3), b.advice(4), b.advice(5)];
  const limbs = new LimbGroup(b, 't', K, T, 6);
  b.gate(kind, () => {
    const q = (c: typeof cx, rot = 0) => advice(c.index, rot);
    const [X, Hh, P, I, M, Mx] = [q(cx), q(ch), q(cp), q(ci), q(cM), q(cm)];
    const [X1, H1, P1, I1, M1, Mx1] = [q(cx, 1), q(ch, 1), q(cp, 1), q(ci, 1), q(cM, 1), q(cm, 1)];
    const [all, start, step, end] = [fixed(selAll.index), fixed(selStart.index), fixed(selStep.index), fixed(selEnd.index)];
    const t = mode === 'first' ? add(sub(sub(Mx, X), constant(1n)), P) : add(sub(sub(Mx, X), P), Hh);
    return [
      mul(all, mul(Hh, sub(constant(1n), Hh))),
      mul(all, sub(t, limbs.sum())),
      mul(start, sub(P, Hh)),
      mul(start, sub(I, mul(fixed(jCol.index), Hh))),
      mul(start, sub(M, mul(Hh, X))),
      mul(step, sub(P1, add(P, H1))),
      mul(step, sub(I1, add(I, mul(fixed(jCol.index, 1), H1)))),
      mul(step, sub(M1, add(M, mul(H1, X1)))),
      mul(step, sub(Mx1, Mx)),
      mul(end, sub(P, constant(1n))),
      mul(end, sub(M, Mx)),
    ];
  });
  limbs.lookups(kind, fixed(selAll.index));

  // Witness: the reference's tie rule (strictly greater, or greater-or-equal for 'last').
  let idx = 0;
  for (let j = 1; j < n; j++) {
    const v = xs[j]!.value;
    const best = xs[idx]!.value;
    if (v > best || (mode === 'last' && v === best)) idx = j;
  }
  const m = xs[idx]!.value;
  const start = b.region(n);
  let index: Value | undefined;
  let max: Value | undefined;
  for (let j = 0; j < n; j++) {
    const row = start + j;
    b.enable(kind, row);
    if (j === 0) b.enable(kind + ':start', row);
    if (j < n - 1) b.enable(kind + ':step', row);
    if (j === n - 1) b.enable(kind + ':end', row);
    b.setFixed(jCol, row, j);
    const x = b.assignCopy(cx, row, xs[j]!).value;
    const h = j === idx ? 1n : 0n;
    const P = j >= idx ? 1n : 0n;
    b.assign(ch, row, h);
    b.assign(cp, row, P);
    const I = b.assign(ci, row, j >= idx ? BigInt(idx) : 0n);
    b.assign(cM, row, j >= idx ? m : 0n);
    const mv = b.assign(cm, row, m);
    const t = mode === 'first' ? m - x - 1n + P : m - x - P + h;
    limbs.assign(row, t, `argmax at element ${j}`);
    if (j === n - 1) [index, max] = [I, mv];
  }
  return { index: index!, max: max! };
}

/**
 * {@link oneHot}: the one-hot vector e of a cell v ∈ [0, n), which also proves v < n.
 *
 * Region of n rows, row j: advice e | S | W, fixed j (the row's index). Gate `one-hot`, each part on its
 * own selector:
 *   every row:     e·(1 − e) = 0
 *   row 0:         S − e = 0,   W − j·e = 0
 *   rows j → j+1:  S' = S + e',  W' = W + j'·e'
 *   row n − 1:     S = 1,  W copied from v
 * Soundness: e is boolean and its sum S is 1 (n ≪ r: no wrap-around), so exactly one e_i = 1; then
 * W = Σ j·e_j = i, and the copy makes v = i. So e is the one-hot of v and v ∈ [0, n); no other v has a
 * witness, and S_j = Σ_{k≤j} e_k = [j ≥ v]. Degree 3 with the selectors.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

/**
 * The n bits e_j = [v = j] and their running sums S_j = [v ≤ j] (v copied in); unprovable unless
 * v ∈ [0, n).
 */
export function oneHot(b: CircuitBuilder, v: Value, n: number): { bits: Value[]; atLeast: Value[] } {
  if (!Number.isInteger(n) || n < 1) throw new CircuitError(`one-hot of ${n} entries`);
  const kind = 'one-hot';
  const [selAll, selStart, selStep, selEnd] = [b.selector(kind), b.selector(`${kind}:start`), b.selector(`${kind}:step`), b.selector(`${kind}:end`)];
  const jCol = b.fixed('one-hot:j');
  const [ce, cs, cw] = [b.advice(0), b.advice(1), b.advice(2)];
  b.gate(kind, () => {
    const [E, S, W] = [advice(ce.index), advice(cs.index), advice(cw.index)];
    const [E1, S1, W1] = [advice(ce.index, 1), advice(cs.index, 1), advice(cw.index, 1)];
    const [all, start, step, end] = [fixed(selAll.index), fixed(selStart.index), fixed(selStep.index), fixed(selEnd.index)];
    return [
      mul(all, mul(E, sub(constant(1n), E))),
      mul(start, sub(S, E)),
      mul(start, sub(W, mul(fixed(jCol.index), E))),
      mul(step, sub(S1, add(S, E1))),
      mul(step, sub(W1, add(W, mul(fixed(jCol.index, 1), E1)))),
      mul(end, sub(S, constant(1n))),
    ];
  });
  const i = v.value;
  if (i < 0n || i >= BigInt(n)) throw new CircuitError(`one-hot: ${i} is not in [0, ${n})`);
  const start = b.region(n);
  const bits: Value[] = [];
  const atLeast: Value[] = [];
  for (let j = 0; j < n; j++) {
    const row = start + j;
    b.enable(kind, row);
    if (j === 0) b.enable(`${kind}:start`, row);
    if (j < n - 1) b.enable(`${kind}:step`, row);
    if (j === n - 1) b.enable(`${kind}:end`, row);
    b.setFixed(jCol, row, j);
    bits.push(b.assign(ce, row, BigInt(j) === i ? 1n : 0n));
    atLeast.push(b.assign(cs, row, BigInt(j) >= i ? 1n : 0n));
    if (j === n - 1) b.assignCopy(cw, row, v);
    else b.assign(cw, row, BigInt(j) >= i ? i : 0n);
  }
  return { bits, atLeast };
}

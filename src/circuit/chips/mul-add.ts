/**
 * {@link mulAdd}: z = a + x·y for three cells. One row, advice a | x | y | z (a, x, y copied in), gate
 * `mul-add`:  z − a − x·y = 0, so z is unique. Degree 3 with the selector.
 */
import { add, advice, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

/** a + x·y as a new cell. */
export function mulAdd(b: CircuitBuilder, a: Value, x: Value, y: Value): Value {
  const sel = b.selector('mul-add');
  const [ca, cx, cy, cz] = [b.advice(0), b.advice(1), b.advice(2), b.advice(3)];
  b.gate('mul-add', () => {
    const [A, X, Y, Z] = [advice(ca.index), advice(cx.index), advice(cy.index), advice(cz.index)];
    return [mul(fixed(sel.index), sub(Z, add(A, mul(X, Y))))];
  });
  const row = b.region(1);
  b.enable('mul-add', row);
  b.assignCopy(ca, row, a);
  b.assignCopy(cx, row, x);
  b.assignCopy(cy, row, y);
  return b.assign(cz, row, a.value + x.value * y.value);
}

/**
 * {@link select}: z = c ? x : y for a cell c that must be a bit. One row, advice c | x | y | z (all three
 * inputs copied in), gate `select`:
 *   c·(1 − c) = 0,   z − y − c·(x − y) = 0
 * so c ∈ {0, 1} and z is x when c = 1, y when c = 0 (unique). Degree 3 with the selector.
 */
import { CircuitError } from '../../errors.ts';
import { advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

export function select(b: CircuitBuilder, c: Value, x: Value, y: Value): Value {
  const sel = b.selector('select');
  const [cc, cx, cy, cz] = [b.advice(0), b.advice(1), b.advice(2), b.advice(3)];
  b.gate('select', () => {
    const q = fixed(sel.index);
    const [C, X, Y, Z] = [advice(cc.index), advice(cx.index), advice(cy.index), advice(cz.index)];
    return [mul(q, mul(C, sub(constant(1n), C))), mul(q, sub(sub(Z, Y), mul(C, sub(X, Y))))];
  });
  if (c.value !== 0n && c.value !== 1n) throw new CircuitError(`select: condition ${c.value} is not a bit`);
  const row = b.region(1);
  b.enable('select', row);
  b.assignCopy(cc, row, c);
  b.assignCopy(cx, row, x);
  b.assignCopy(cy, row, y);
  return b.assign(cz, row, c.value === 1n ? x.value : y.value);
}

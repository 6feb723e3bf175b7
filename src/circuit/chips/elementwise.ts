/**
 * One-row arithmetic on single cells (inputs copied in, so each output is determined by its row):
 * - {@link product}:    z = x·y              gate `product`    (advice x | y | z)
 * - {@link affine}:     z = x·w + c          gate `affine`     (advice x | z, w and c in fixed columns: public)
 * - {@link difference}: z = x − y            gate `difference` (advice x | y | z)
 * Each gate is multiplied by its own selector, degree ≤ 3. Exact on integers while |z| < r/2.
 */
import { add, advice, fixed, mul, sub } from '../../plonk/expression.ts';
import { type CircuitBuilder, type Value, toBig } from '../builder.ts';

export function product(b: CircuitBuilder, x: Value, y: Value): Value {
  const sel = b.selector('product');
  const [cx, cy, cz] = [b.advice(0), b.advice(1), b.advice(2)];
  b.gate('product', () => [mul(fixed(sel.index), sub(advice(cz.index), mul(advice(cx.index), advice(cy.index))))]);
  const row = b.region(1);
  b.enable('product', row);
  b.assignCopy(cx, row, x);
  b.assignCopy(cy, row, y);
  return b.assign(cz, row, x.value * y.value);
}

export function affine(b: CircuitBuilder, x: Value, w: bigint | number, c: bigint | number = 0): Value {
  const sel = b.selector('affine');
  const [cx, cz] = [b.advice(0), b.advice(1)];
  const [fw, fc] = [b.fixed('affine:w'), b.fixed('affine:c')];
  b.gate('affine', () => [
    mul(fixed(sel.index), sub(advice(cz.index), add(mul(advice(cx.index), fixed(fw.index)), fixed(fc.index)))),
  ]);
  const [W, C] = [toBig(w), toBig(c)];
  const row = b.region(1);
  b.enable('affine', row);
  b.setFixed(fw, row, W);
  b.setFixed(fc, row, C);
  b.assignCopy(cx, row, x);
  return b.assign(cz, row, x.value * W + C);
}

export function difference(b: CircuitBuilder, x: Value, y: Value): Value {
  const sel = b.selector('difference');
  const [cx, cy, cz] = [b.advice(0), b.advice(1), b.advice(2)];
  b.gate('difference', () => [mul(fixed(sel.index), sub(advice(cz.index), sub(advice(cx.index), advice(cy.index))))]);
  const row = b.region(1);
  b.enable('difference', row);
  b.assignCopy(cx, row, x);
  b.assignCopy(cy, row, y);
  return b.assign(cz, row, x.value - y.value);
}

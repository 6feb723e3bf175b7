/**
 * Gelu (opset 20; approximate 'none' or 'tanh'): one table lookup on the input. Not saturating for large
 * inputs (gelu(x) ≈ x), so values outside the calibrated domain raise TableDomainError.
 */
import { attrString } from './attrs.ts';
import { erf, tableOp } from './table.ts';

export const gelu = tableOp('Gelu', (node) => {
  const tanhApprox = attrString(node, 'approximate', 'none') === 'tanh';
  const c = Math.sqrt(2 / Math.PI);
  return {
    fn: tanhApprox ? (x) => 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x))) : (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    outside: 'error',
  };
});

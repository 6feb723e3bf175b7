/**
 * Selu (alpha ≈ 1.6733, gamma ≈ 1.0507): x > 0 ? γx : γα(eˣ − 1) — rdiv(relu(x)·γ_q, 2^s) plus a table
 * saturating at −γα (relu-plus-table.ts).
 */
import { attrFloat } from './attrs.ts';
import { reluPlusTableOp } from './relu-plus-table.ts';

export const selu = reluPlusTableOp('Selu', (node) => {
  const a = attrFloat(node, 'alpha', 1.67326319217681884765625);
  const g = attrFloat(node, 'gamma', 1.05070102214813232421875);
  return { f: (x) => (x > 0 ? g * x : g * a * Math.expm1(x)), gain: g, limLo: -g * a, limHi: 0 };
});

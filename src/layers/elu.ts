/** Elu (alpha, default 1): x ≥ 0 ? x : α(eˣ − 1) — relu plus a table saturating at −α (relu-plus-table.ts). */
import { attrFloat } from './attrs.ts';
import { reluPlusTableOp } from './relu-plus-table.ts';

export const elu = reluPlusTableOp('Elu', (node) => {
  const a = attrFloat(node, 'alpha', 1);
  return { f: (x) => (x >= 0 ? x : a * Math.expm1(x)), gain: 1, limLo: -a, limHi: 0 };
});

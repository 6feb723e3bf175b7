/** Neg. Integer semantics: −a (exact, keeps the input's scale). */
import { unary } from './shape-util.ts';
import type { OpDef } from './types.ts';

export const neg: OpDef = {
  op: 'Neg',
  shape: (_n, s) => [[...s[0]!]],
  float: (_n, [a]) => [unary(a!, (x) => -x)],
  int: (_n, [a]) => [{ ...unary(a!, (x) => -x), bits: a!.bits }],
};

/** Relu. Integer semantics: max(a, 0) (a comparison; keeps the input's scale). */
import { unary } from './shape-util.ts';
import type { OpDef } from './types.ts';

export const relu: OpDef = {
  op: 'Relu',
  shape: (_n, s) => [[...s[0]!]],
  float: (_n, [a]) => [unary(a!, (x) => (x > 0 ? x : 0))],
  int: (_n, [a]) => [{ ...unary(a!, (x) => (x > 0 ? x : 0)), bits: a!.bits }],
};

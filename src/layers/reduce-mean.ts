/** ReduceMean. Integer semantics: rdiv(Σ x, n) with n the elements per group (a public integer). */
import { divRound } from './int-math.ts';
import { constsOf, reduceShape, reduceWith } from './reduce.ts';
import type { OpDef } from './types.ts';

export const reduceMean: OpDef = {
  op: 'ReduceMean',
  shape: (node, s, c) => [reduceShape(node, s[0]!, c)],
  float: (node, inputs) => [reduceWith(node, inputs[0]!, constsOf(inputs), 0, (a, v) => a + v, (a, n) => a / n)],
  int: (node, inputs) => [{ ...reduceWith(node, inputs[0]!, constsOf(inputs), 0, (a, v) => a + v, (a, n) => divRound(a, n)), bits: inputs[0]!.bits }],
};

/** ReduceSum. Integer semantics: Σ x (exact, keeps the input's scale). */
import { constsOf, reduceShape, reduceWith } from './reduce.ts';
import type { OpDef } from './types.ts';

export const reduceSum: OpDef = {
  op: 'ReduceSum',
  shape: (node, s, c) => [reduceShape(node, s[0]!, c)],
  float: (node, inputs) => [reduceWith(node, inputs[0]!, constsOf(inputs), 0, (a, v) => a + v, (a) => a)],
  int: (node, inputs) => [{ ...reduceWith(node, inputs[0]!, constsOf(inputs), 0, (a, v) => a + v, (a) => a), bits: inputs[0]!.bits }],
};

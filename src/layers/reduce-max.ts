/** ReduceMax. Integer semantics: max over the group (comparisons, keeps the input's scale). */
import { constsOf, reduceShape, reduceWith } from './reduce.ts';
import type { OpDef } from './types.ts';

export const reduceMax: OpDef = {
  op: 'ReduceMax',
  shape: (node, s, c) => [reduceShape(node, s[0]!, c)],
  float: (node, inputs) => [reduceWith(node, inputs[0]!, constsOf(inputs), -Infinity, Math.max, (a) => a)],
  int: (node, inputs) => [{ ...reduceWith(node, inputs[0]!, constsOf(inputs), -Infinity, Math.max, (a) => a), bits: inputs[0]!.bits }],
};

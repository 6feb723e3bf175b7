/** MaxPool (1-D/2-D, pads, strides, dilations, ceil_mode). Integer semantics: max over the valid window. */
import { poolEach, poolShape } from './pool.ts';
import type { OpDef } from './types.ts';

const maxOf = (v: Float64Array, n: number): number => {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (v[i]! > m) m = v[i]!;
  return m;
};

export const maxPool: OpDef = {
  op: 'MaxPool',
  shape: (node, s) => [poolShape(node, s[0]!)],
  float: (node, [x]) => [{ shape: poolShape(node, x!.shape), data: poolEach(node, x!.shape, x!.data, maxOf) }],
  int: (node, [x]) => [{ shape: poolShape(node, x!.shape), data: poolEach(node, x!.shape, x!.data, maxOf), bits: x!.bits }],
};

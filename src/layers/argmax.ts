/**
 * ArgMax (axis, keepdims, select_last_index). Outputs raw integer indices (bits 0). Integer semantics:
 * the index of the first (or last) maximum of the fixed-point values — comparisons only.
 */
import { attrInt, normAxis } from './attrs.ts';
import { reducedShape, size, strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { Arr, OpDef } from './types.ts';

function argmax(node: Node, x: Arr): Arr {
  const axis = normAxis(node, attrInt(node, 'axis', 0), x.shape.length);
  const last = attrInt(node, 'select_last_index', 0) === 1;
  const shape = reducedShape(x.shape, [axis], attrInt(node, 'keepdims', 1) === 1);
  const len = x.shape[axis]!;
  const inner = strides(x.shape)[axis]!;
  const out = new Float64Array(size(shape));
  for (let o = 0; o < out.length; o++) {
    const base = Math.floor(o / inner) * len * inner + (o % inner);
    let best = 0;
    let bv = x.data[base]!;
    for (let i = 1; i < len; i++) {
      const v = x.data[base + i * inner]!;
      if (v > bv || (last && v === bv)) {
        bv = v;
        best = i;
      }
    }
    out[o] = best;
  }
  return { shape, data: out };
}

export const argMax: OpDef = {
  op: 'ArgMax',
  shape: (node, s) => [reducedShape(s[0]!, [normAxis(node, attrInt(node, 'axis', 0), s[0]!.length)], attrInt(node, 'keepdims', 1) === 1)],
  float: (node, [x]) => [argmax(node, x!)],
  int: (node, [x]) => [{ ...argmax(node, x!), bits: 0 }],
};

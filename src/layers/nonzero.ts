/**
 * NonZero(x): the coordinates of x's nonzero elements, [rank, count] in row-major order (int64). The count
 * depends on the values, so x must be constant (the op is folded on import); a runtime x is a ModelError.
 */
import { ModelError } from '../graph/errors.ts';
import type { Node } from '../graph/ir.ts';
import { strides } from './shape-util.ts';
import type { Arr, OpDef } from './types.ts';

function nonZero(shape: number[], data: Float64Array): Arr {
  const idx: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) idx.push(i);
  const rank = shape.length;
  const str = strides(shape);
  const out = new Float64Array(rank * idx.length);
  idx.forEach((flat, j) => {
    let r = flat;
    for (let a = 0; a < rank; a++) {
      out[a * idx.length + j] = Math.floor(r / str[a]!);
      r %= str[a]!;
    }
  });
  return { shape: [rank, idx.length], data: out };
}

const needConst = (node: Node): never => {
  throw new ModelError(node.name, 'NonZero of a runtime tensor has a value-dependent shape; only constant inputs are supported');
};

export const nonZeroOp: OpDef = {
  op: 'NonZero',
  shape: (node, s, c) => [c[0] ? nonZero(s[0]!, c[0]).shape : needConst(node)],
  float: (_node, [a]) => [nonZero(a!.shape, a!.data)],
  int: (node, [a]) => [{ ...nonZero(a!.shape, a!.constFloat ?? needConst(node)), bits: 0 }],
};

/**
 * Gather(axis), negative indices counting from the end. Constant indices: an index map (pure data
 * movement). Runtime indices (token ids into an embedding table): the indices must be raw integers
 * (bits 0: an integer-typed graph input or a computed index); float and integer semantics read the
 * selected slices, the data at its own scale (a float constant quantized at s, an integer one raw).
 */
import { ModelError } from '../graph/errors.ts';
import { attrInt, normAxis } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { Arr, OpDef, QArr } from './types.ts';

function outShape(node: Node, s: number[][]): number[] {
  const axis = normAxis(node, attrInt(node, 'axis', 0), s[0]!.length);
  return [...s[0]!.slice(0, axis), ...s[1]!, ...s[0]!.slice(axis + 1)];
}

/** For each output element, the flat index into the data that Gather reads, for the given index values. */
export function gatherIndex(node: Node, s: number[][], idx: ArrayLike<number>): Int32Array {
  const data = s[0]!;
  const axis = normAxis(node, attrInt(node, 'axis', 0), data.length);
  const st = strides(data);
  const ir = s[1]!.length;
  const istr = strides(s[1]!);
  return mapFromCoords(outShape(node, s), (co) => {
    let j = 0;
    for (let k = 0; k < ir; k++) j += co[axis + k]! * istr[k]!;
    let v = idx[j]!;
    if (!Number.isInteger(v)) throw new ModelError(node.name, `Gather index ${v} is not an integer`);
    if (v < 0) v += data[axis]!;
    if (v < 0 || v >= data[axis]!) throw new ModelError(node.name, `Gather index ${idx[j]} out of range for axis size ${data[axis]}`);
    let i = v * st[axis]!;
    for (let a = 0; a < axis; a++) i += co[a]! * st[a]!;
    for (let a = axis + 1; a < data.length; a++) i += co[a + ir - 1]! * st[a]!;
    return i;
  });
}

const byConstantIndices = movementOp(
  'Gather',
  [0],
  (node, s) => [outShape(node, s)],
  (node, s, c) => {
    if (!c[1]) throw new ModelError(node.name, 'Gather indices must be constant');
    return [gatherIndex(node, s, c[1])];
  },
);

function pick(node: Node, data: Arr, indices: Arr, values: Float64Array): Arr {
  const map = gatherIndex(node, [data.shape, indices.shape], indices.data);
  return { shape: outShape(node, [data.shape, indices.shape]), data: Float64Array.from(map, (i) => values[i]!) };
}

export const gather: OpDef = {
  ...byConstantIndices,
  indexMap: (node, s, c) => (c[1] ? byConstantIndices.indexMap!(node, s, c) : undefined),
  float: (node, inputs) => (inputs[1]!.constFloat ? byConstantIndices.float(node, inputs) : [pick(node, inputs[0]!, inputs[1]!, inputs[0]!.data)]),
  int: (node, inputs, ctx): QArr[] => {
    const [data, indices] = [inputs[0]!, inputs[1]!];
    if (indices.constFloat) return byConstantIndices.int(node, inputs, ctx);
    if (indices.bits !== 0) throw new ModelError(node.name, `Gather indices must be raw integers, got a tensor at scale 2^${indices.bits}`);
    const raw = data.bits === 0 && (!data.constFloat || data.constFloat.every(Number.isInteger));
    const values = raw ? (data.constFloat ?? data.data) : asFixed(data, ctx);
    return [{ ...pick(node, data, indices, values), bits: raw ? 0 : ctx.scaleBits }];
  },
};

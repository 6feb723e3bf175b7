/**
 * Split(axis) into parts given by the constant input 1 (opset ≥ 13), the `split` attribute (older), or
 * equal parts (num_outputs, opset 18, or the node's output count).
 */
import { ModelError } from '../graph/errors.ts';
import { attrInt, attrInts, normAxis } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function parts(node: Node, s: number[], c: (Float64Array | undefined)[]): { axis: number; sizes: number[] } {
  const axis = normAxis(node, attrInt(node, 'axis', 0), s.length);
  let sizes = attrInts(node, 'split', undefined) ?? (c[1] ? Array.from(c[1]) : undefined);
  if (!sizes) {
    const n = attrInt(node, 'num_outputs', node.outputs.length);
    const chunk = Math.ceil(s[axis]! / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, s[axis]! - i * chunk)));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== s[axis]) throw new ModelError(node.name, `Split sizes [${sizes}] do not sum to ${s[axis]}`);
  return { axis, sizes };
}

export const split = movementOp(
  'Split',
  [0],
  (node, s, c) => {
    const { axis, sizes } = parts(node, s[0]!, c);
    return sizes.map((n) => s[0]!.map((d, i) => (i === axis ? n : d)));
  },
  (node, s, c) => {
    const { axis, sizes } = parts(node, s[0]!, c);
    const st = strides(s[0]!);
    let start = 0;
    return sizes.map((n) => {
      const from = start;
      start += n;
      const shape = s[0]!.map((d, i) => (i === axis ? n : d));
      return mapFromCoords(shape, (co) => {
        let i = 0;
        for (let a = 0; a < co.length; a++) i += (a === axis ? co[a]! + from : co[a]!) * st[a]!;
        return i;
      });
    });
  },
);

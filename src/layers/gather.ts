/** Gather(axis) with constant indices (negative ones count from the end): an index map. */
import { ModelError } from '../model/errors.ts';
import { attrInt, normAxis } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { strides } from './shape-util.ts';
import type { Node } from '../model/ir.ts';

function outShape(node: Node, s: number[][]): number[] {
  const axis = normAxis(node, attrInt(node, 'axis', 0), s[0]!.length);
  return [...s[0]!.slice(0, axis), ...s[1]!, ...s[0]!.slice(axis + 1)];
}

export const gather = movementOp(
  'Gather',
  [0],
  (node, s) => [outShape(node, s)],
  (node, s, c) => {
    const idx = c[1];
    if (!idx) throw new ModelError(node.name, 'Gather indices must be constant');
    const data = s[0]!;
    const axis = normAxis(node, attrInt(node, 'axis', 0), data.length);
    const st = strides(data);
    const ir = s[1]!.length;
    const istr = strides(s[1]!);
    return [
      mapFromCoords(outShape(node, s), (co) => {
        let j = 0;
        for (let k = 0; k < ir; k++) j += co[axis + k]! * istr[k]!;
        let v = idx[j]!;
        if (v < 0) v += data[axis]!;
        if (v < 0 || v >= data[axis]!) throw new ModelError(node.name, `Gather index ${idx[j]} out of range for axis size ${data[axis]}`);
        let i = v * st[axis]!;
        for (let a = 0; a < axis; a++) i += co[a]! * st[a]!;
        for (let a = axis + 1; a < data.length; a++) i += co[a + ir - 1]! * st[a]!;
        return i;
      }),
    ];
  },
);

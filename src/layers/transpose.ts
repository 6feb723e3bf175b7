/** Transpose(perm, default reversed axes): out[c] = in[c permuted back]. */
import { ModelError } from '../graph/errors.ts';
import { attrInts } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function permOf(node: Node, rank: number): number[] {
  const p = attrInts(node, 'perm', undefined) ?? [...Array(rank).keys()].reverse();
  if (p.length !== rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) throw new ModelError(node.name, `perm [${p}] is not a permutation of rank ${rank}`);
  return p;
}

export const transpose = movementOp(
  'Transpose',
  [0],
  (node, s) => [permOf(node, s[0]!.length).map((a) => s[0]![a]!)],
  (node, s) => {
    const p = permOf(node, s[0]!.length);
    const inStr = strides(s[0]!);
    const outShape = p.map((a) => s[0]![a]!);
    return [
      mapFromCoords(outShape, (c) => {
        let i = 0;
        for (let k = 0; k < p.length; k++) i += c[k]! * inStr[p[k]!]!;
        return i;
      }),
    ];
  },
);

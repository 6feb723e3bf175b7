/** Flatten(axis = 1) to [prod(dims < axis), prod(dims ≥ axis)]. Identity map. */
import { attrInt } from './attrs.ts';
import { identityMap, movementOp } from './movement.ts';
import { size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function flatShape(node: Node, s: number[]): number[] {
  let axis = attrInt(node, 'axis', 1);
  if (axis < 0) axis += s.length;
  return [size(s.slice(0, axis)), size(s.slice(axis))];
}

export const flatten = movementOp('Flatten', [0], (node, s) => [flatShape(node, s[0]!)], (_n, s) => [identityMap(size(s[0]!))]);

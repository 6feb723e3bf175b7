/** Shape (start/end attributes, opset 15): the input's static shape as raw integers; constant-folded on import. */
import { attrInt } from './attrs.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef } from './types.ts';

function dims(node: Node, s: number[]): number[] {
  const r = s.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  return s.slice(clamp(attrInt(node, 'start', 0)), clamp(attrInt(node, 'end', r)));
}

export const shapeOf: OpDef = {
  op: 'Shape',
  shape: (node, s) => [[dims(node, s[0]!).length]],
  float: (node, [a]) => [{ shape: [dims(node, a!.shape).length], data: Float64Array.from(dims(node, a!.shape)) }],
  int: (node, [a]) => [{ shape: [dims(node, a!.shape).length], data: Float64Array.from(dims(node, a!.shape)), bits: 0 }],
};

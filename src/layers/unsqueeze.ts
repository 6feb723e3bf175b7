/** Unsqueeze (axes from attribute, opset < 13, or constant input 1). Identity map. */
import { ModelError } from '../graph/errors.ts';
import { attrInts, normAxis } from './attrs.ts';
import { identityMap, movementOp } from './movement.ts';
import { size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function unsqueezed(node: Node, s: number[], axesIn: Float64Array | undefined): number[] {
  const raw = attrInts(node, 'axes', undefined) ?? (axesIn ? Array.from(axesIn) : undefined);
  if (!raw) throw new ModelError(node.name, 'Unsqueeze needs axes');
  const rank = s.length + raw.length;
  const axes = raw.map((a) => normAxis(node, a, rank));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : s[j++]!);
  return out;
}

export const unsqueeze = movementOp('Unsqueeze', [0], (node, s, c) => [unsqueezed(node, s[0]!, c[1])], (_n, s) => [identityMap(size(s[0]!))]);

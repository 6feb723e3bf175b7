/** Squeeze (axes from attribute, opset < 13, or constant input 1; none: all size-1 dims). Identity map. */
import { ModelError } from '../graph/errors.ts';
import { attrInts, normAxis } from './attrs.ts';
import { identityMap, movementOp } from './movement.ts';
import { size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function squeezed(node: Node, s: number[], axesIn: Float64Array | undefined): number[] {
  const axesRaw = attrInts(node, 'axes', undefined) ?? (axesIn ? Array.from(axesIn) : undefined);
  if (!axesRaw) return s.filter((d) => d !== 1);
  const axes = axesRaw.map((a) => normAxis(node, a, s.length));
  for (const a of axes) if (s[a] !== 1) throw new ModelError(node.name, `cannot squeeze axis ${a} of size ${s[a]}`);
  return s.filter((_, i) => !axes.includes(i));
}

export const squeeze = movementOp('Squeeze', [0], (node, s, c) => [squeezed(node, s[0]!, c[1])], (_n, s) => [identityMap(size(s[0]!))]);

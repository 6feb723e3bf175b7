/** Expand to broadcast(input shape, constant shape input 1): a broadcast index map. */
import { ModelError } from '../graph/errors.ts';
import { movementOp } from './movement.ts';
import { broadcastIndex, broadcastShapes } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function target(node: Node, s: number[], c: Float64Array | undefined): number[] {
  if (!c) throw new ModelError(node.name, 'Expand shape must be constant');
  return broadcastShapes(node, [s, Array.from(c)]);
}

export const expand = movementOp('Expand', [0], (node, s, c) => [target(node, s[0]!, c[1])], (node, s, c) => [broadcastIndex(target(node, s[0]!, c[1]), s[0]!)]);

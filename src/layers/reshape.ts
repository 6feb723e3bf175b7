/** Reshape (shape from constant input 1; 0 copies the input dim unless allowzero, −1 is inferred). Identity map. */
import { ModelError } from '../graph/errors.ts';
import { attrInt } from './attrs.ts';
import { identityMap, movementOp } from './movement.ts';
import { size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function target(node: Node, inShape: number[], spec: Float64Array | undefined): number[] {
  if (!spec) throw new ModelError(node.name, 'Reshape target shape must be a constant (after constant folding)');
  const allowZero = attrInt(node, 'allowzero', 0) === 1;
  const out = Array.from(spec, (d, i) => (d === 0 && !allowZero ? inShape[i]! : d));
  const n = size(inShape);
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    const rest = size(out.filter((_, i) => i !== neg));
    out[neg] = rest === 0 ? 0 : n / rest;
  }
  if (size(out) !== n || out.some((d) => !Number.isInteger(d) || d < 0))
    throw new ModelError(node.name, `cannot reshape [${inShape}] to [${Array.from(spec)}]`);
  return out;
}

export const reshape = movementOp('Reshape', [0], (node, s, c) => [target(node, s[0]!, c[1])], (_n, s) => [identityMap(size(s[0]!))]);

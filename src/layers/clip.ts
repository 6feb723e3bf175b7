/**
 * Clip (Relu6 is Clip(0, 6)). Bounds from inputs 1, 2 (opset ≥ 11, constants) or attributes min/max
 * (opset < 11). Integer semantics: min(max(a, round(lo · 2^s)), round(hi · 2^s)) — two comparisons.
 */
import { ModelError } from '../graph/errors.ts';
import { attrFloat } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { roundHalfUp } from './int-math.ts';
import { unary } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef, OpInput } from './types.ts';

function bounds(node: Node, inputs: OpInput[]): [number, number] {
  const get = (i: number, attr: string, def: number): number => {
    if (node.inputs[i]) {
      const c = inputs[i]?.constFloat;
      if (!c) throw new ModelError(node.name, `Clip ${attr} must be a constant`);
      return c[0]!;
    }
    return attrFloat(node, attr, def);
  };
  return [get(1, 'min', -Infinity), get(2, 'max', Infinity)];
}

export const clip: OpDef = {
  op: 'Clip',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, inputs) => {
    const [lo, hi] = bounds(node, inputs);
    return [unary(inputs[0]!, (x) => Math.min(Math.max(x, lo), hi))];
  },
  int: (node, inputs, ctx) => {
    const [lo, hi] = bounds(node, inputs);
    const S = 2 ** ctx.scaleBits;
    const qlo = lo === -Infinity ? -Infinity : roundHalfUp(lo * S);
    const qhi = hi === Infinity ? Infinity : roundHalfUp(hi * S);
    return [{ ...unary({ shape: inputs[0]!.shape, data: asFixed(inputs[0]!, ctx) }, (x) => Math.min(Math.max(x, qlo), qhi)), bits: ctx.scaleBits }];
  },
};

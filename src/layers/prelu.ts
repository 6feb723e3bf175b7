/**
 * PRelu(x, slope): x ≥ 0 ? x : slope·x, slope unidirectionally broadcast to x (per channel: [C, 1, 1]).
 * Integer semantics as LeakyRelu's with a slope per element: x ≥ 0 ? x : rdiv(x·slope_q, 2^s), slope_q the
 * slope at scale s (a constant slope quantized as round(slope·2^s)).
 */
import { asFixed } from './fixed.ts';
import { rescale } from './int-math.ts';
import { broadcastIndex, broadcastShapes } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import { ModelError } from '../graph/errors.ts';
import type { OpDef } from './types.ts';

/** For each element of x, the index of its slope; ModelError unless slope broadcasts to x's shape. */
export function slopeIndex(node: Node, x: number[], slope: number[]): Int32Array {
  const b = broadcastShapes(node, [x, slope]);
  if (b.join() !== x.join()) throw new ModelError(node.name, `PRelu slope [${slope}] does not broadcast to the input [${x}]`);
  return broadcastIndex(x, slope);
}

export const prelu: OpDef = {
  op: 'PRelu',
  shape: (node, s) => {
    slopeIndex(node, s[0]!, s[1]!);
    return [[...s[0]!]];
  },
  float: (node, [a, k]) => {
    const idx = slopeIndex(node, a!.shape, k!.shape);
    return [{ shape: [...a!.shape], data: a!.data.map((x, i) => (x >= 0 ? x : k!.data[idx[i]!]! * x)) }];
  },
  int: (node, [a, k], ctx) => {
    const s = ctx.scaleBits;
    const idx = slopeIndex(node, a!.shape, k!.shape);
    const x = asFixed(a!, ctx);
    const kq = asFixed(k!, ctx);
    return [{ shape: [...a!.shape], data: x.map((v, i) => (v >= 0 ? v : rescale(v * kq[idx[i]!]!, s))), bits: s }];
  },
};

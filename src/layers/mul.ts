/**
 * Mul (broadcasting). Integer semantics: both operands at scale s (constants quantized at s),
 * out = rdiv(a · b, 2^s). When one operand is a raw integer (bits 0, e.g. a 0/1 mask) the product is
 * already at scale s and is not rescaled; two raw integers multiply exactly.
 */
import { asFixed } from './fixed.ts';
import { rescale } from './int-math.ts';
import { binary, broadcastShapes } from './shape-util.ts';
import type { OpDef, OpInput } from './types.ts';

const isRaw = (x: OpInput): boolean => x.bits === 0 && (!x.constFloat || x.constFloat.every(Number.isInteger));

export const mul: OpDef = {
  op: 'Mul',
  shape: (node, s) => [broadcastShapes(node, [s[0]!, s[1]!])],
  float: (node, [a, b]) => [binary(node, a!, b!, (x, y) => x * y)],
  int: (node, [a, b], ctx) => {
    const s = ctx.scaleBits;
    const rawA = isRaw(a!);
    const rawB = isRaw(b!);
    if (rawA || rawB) {
      const bits = rawA && rawB ? 0 : s;
      const da = rawA ? (a!.constFloat ?? a!.data) : asFixed(a!, ctx);
      const db = rawB ? (b!.constFloat ?? b!.data) : asFixed(b!, ctx);
      return [{ ...binary(node, { shape: a!.shape, data: da }, { shape: b!.shape, data: db }, (x, y) => x * y), bits }];
    }
    const r = binary(node, { shape: a!.shape, data: asFixed(a!, ctx) }, { shape: b!.shape, data: asFixed(b!, ctx) }, (x, y) => rescale(x * y, s));
    return [{ ...r, bits: s }];
  },
};

/**
 * LeakyRelu (alpha, default 0.01). Integer semantics: a ≥ 0 ? a : rdiv(a · round(alpha · 2^s), 2^s).
 */
import { attrFloat } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { rescale, roundHalfUp } from './int-math.ts';
import { unary } from './shape-util.ts';
import type { OpDef } from './types.ts';

export const leakyRelu: OpDef = {
  op: 'LeakyRelu',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, [a]) => {
    const alpha = attrFloat(node, 'alpha', 0.01);
    return [unary(a!, (x) => (x >= 0 ? x : alpha * x))];
  },
  int: (node, [a], ctx) => {
    const s = ctx.scaleBits;
    const alphaQ = roundHalfUp(attrFloat(node, 'alpha', 0.01) * 2 ** s);
    return [{ ...unary({ shape: a!.shape, data: asFixed(a!, ctx) }, (x) => (x >= 0 ? x : rescale(x * alphaQ, s))), bits: s }];
  },
};

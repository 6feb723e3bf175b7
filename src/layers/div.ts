/**
 * Div (broadcasting). Integer semantics, with a = input 0 at scale s:
 * - divisor a constant whose elements are all non-zero integers c: out = sign(c) · rdiv(a · sign(c), |c|)
 *   (division by a public integer with rounding);
 * - other constant divisor c: out = rdiv(a · round(2^s / c), 2^s) (multiply by the quantized reciprocal);
 * - tensor divisor b at scale s: out = rdiv(a · 2^s · sign(b), |b|), division by a variable with rounding;
 *   b = 0 raises DivisionByZeroError naming the node.
 */
import { DivisionByZeroError } from '../graph/errors.ts';
import { asFixed } from './fixed.ts';
import { divRound, rescale, roundHalfUp } from './int-math.ts';
import { binary, broadcastShapes } from './shape-util.ts';
import type { OpDef } from './types.ts';

export const div: OpDef = {
  op: 'Div',
  shape: (node, s) => [broadcastShapes(node, [s[0]!, s[1]!])],
  float: (node, [a, b]) => [binary(node, a!, b!, (x, y) => x / y)],
  int: (node, [a, b], ctx) => {
    const s = ctx.scaleBits;
    const S = 2 ** s;
    const x = { shape: a!.shape, data: asFixed(a!, ctx) };
    const c = b!.constFloat;
    if (c && c.every((v) => Number.isInteger(v) && v !== 0)) {
      return [{ ...binary(node, x, { shape: b!.shape, data: c }, (p, q) => (q > 0 ? divRound(p, q) : divRound(-p, -q))), bits: s }];
    }
    if (c) {
      const inv = c.map((v) => roundHalfUp(S / v));
      return [{ ...binary(node, x, { shape: b!.shape, data: inv }, (p, q) => rescale(p * q, s)), bits: s }];
    }
    const y = { shape: b!.shape, data: asFixed(b!, ctx) };
    const r = binary(node, x, y, (p, q) => {
      if (q === 0) throw new DivisionByZeroError(node.name, node.inputs[1]!);
      return q > 0 ? divRound(p * S, q) : divRound(-p * S, -q);
    });
    return [{ ...r, bits: s }];
  },
};

/**
 * Equal, Less, Greater (broadcasting): outputs raw 0/1 integers (bits 0). Integer semantics: the
 * comparison of both operands at a common scale (constants quantized at it); exact for masks and indices.
 */
import { atBits, pairBits } from './fixed.ts';
import { binary, broadcastShapes } from './shape-util.ts';
import type { OpDef } from './types.ts';

function compareOp(op: string, f: (x: number, y: number) => boolean): OpDef {
  return {
    op,
    shape: (node, s) => [broadcastShapes(node, [s[0]!, s[1]!])],
    float: (node, [a, b]) => [binary(node, a!, b!, (x, y) => (f(x, y) ? 1 : 0))],
    int: (node, [a, b], ctx) => {
      const bits = pairBits(a!, b!, ctx);
      const r = binary(node, { shape: a!.shape, data: atBits(a!, bits, ctx) }, { shape: b!.shape, data: atBits(b!, bits, ctx) }, (x, y) => (f(x, y) ? 1 : 0));
      return [{ ...r, bits: 0 }];
    },
  };
}

export const equal = compareOp('Equal', (x, y) => x === y);
export const less = compareOp('Less', (x, y) => x < y);
export const greater = compareOp('Greater', (x, y) => x > y);

/** Sub (broadcasting). Integer semantics: a − b at a common scale, like Add. */
import { atBits, pairBits } from './fixed.ts';
import { binary, broadcastShapes } from './shape-util.ts';
import type { OpDef } from './types.ts';

export const sub: OpDef = {
  op: 'Sub',
  shape: (node, s) => [broadcastShapes(node, [s[0]!, s[1]!])],
  float: (node, [a, b]) => [binary(node, a!, b!, (x, y) => x - y)],
  int: (node, [a, b], ctx) => {
    const bits = pairBits(a!, b!, ctx);
    const r = binary(node, { shape: a!.shape, data: atBits(a!, bits, ctx) }, { shape: b!.shape, data: atBits(b!, bits, ctx) }, (x, y) => x - y);
    return [{ ...r, bits }];
  },
};

/**
 * Where(cond, x, y) with broadcasting. With a constant condition (masks) it is an index map into [x, y]
 * (copy constraints); with a computed 0/1 condition c the integer semantics is c ? x : y, i.e.
 * y + c·(x − y), with x and y at a common scale.
 */
import { atBits, pairBits } from './fixed.ts';
import { broadcastIndex, broadcastShapes, size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { Arr, OpDef } from './types.ts';

function select(node: Node, c: Arr, x: Arr, y: Arr): Arr {
  const shape = broadcastShapes(node, [c.shape, x.shape, y.shape]);
  const [ic, ix, iy] = [broadcastIndex(shape, c.shape), broadcastIndex(shape, x.shape), broadcastIndex(shape, y.shape)];
  const out = new Float64Array(ic.length);
  for (let i = 0; i < out.length; i++) out[i] = c.data[ic[i]!] ? x.data[ix[i]!]! : y.data[iy[i]!]!;
  return { shape, data: out };
}

export const where: OpDef = {
  op: 'Where',
  dataInputs: [1, 2],
  shape: (node, s) => [broadcastShapes(node, [s[0]!, s[1]!, s[2]!])],
  float: (node, [c, x, y]) => [select(node, c!, x!, y!)],
  int: (node, [c, x, y], ctx) => {
    const bits = pairBits(x!, y!, ctx);
    const r = select(node, { shape: c!.shape, data: c!.constFloat ?? c!.data }, { shape: x!.shape, data: atBits(x!, bits, ctx) }, { shape: y!.shape, data: atBits(y!, bits, ctx) });
    return [{ ...r, bits }];
  },
  indexMap: (node, s, consts) => {
    const cond = consts[0];
    if (!cond) return undefined;
    const shape = broadcastShapes(node, [s[0]!, s[1]!, s[2]!]);
    const [ic, ix, iy] = [broadcastIndex(shape, s[0]!), broadcastIndex(shape, s[1]!), broadcastIndex(shape, s[2]!)];
    const offX = size(s[0]!);
    const offY = offX + size(s[1]!);
    const map = new Int32Array(ic.length);
    for (let i = 0; i < map.length; i++) map[i] = cond[ic[i]!] ? offX + ix[i]! : offY + iy[i]!;
    return [map];
  },
};

/**
 * AveragePool (1-D/2-D, pads, strides, ceil_mode, count_include_pad). Integer semantics:
 * out = rdiv(Σ window, n) with n the number of valid elements (or the padded window size when
 * count_include_pad = 1) — a sum and a division by a public integer with rounding.
 */
import { attrInt } from './attrs.ts';
import { divRound } from './int-math.ts';
import { poolEach, poolShape } from './pool.ts';
import type { OpDef } from './types.ts';

const sumOf = (v: Float64Array, n: number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  return s;
};

export const averagePool: OpDef = {
  op: 'AveragePool',
  shape: (node, s) => [poolShape(node, s[0]!)],
  float: (node, [x]) => {
    const incl = attrInt(node, 'count_include_pad', 0) === 1;
    return [{ shape: poolShape(node, x!.shape), data: poolEach(node, x!.shape, x!.data, (v, n, full) => sumOf(v, n) / (incl ? full : n)) }];
  },
  int: (node, [x]) => {
    const incl = attrInt(node, 'count_include_pad', 0) === 1;
    return [{ shape: poolShape(node, x!.shape), data: poolEach(node, x!.shape, x!.data, (v, n, full) => divRound(sumOf(v, n), incl ? full : n)), bits: x!.bits }];
  },
};

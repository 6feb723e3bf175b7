/** GlobalAveragePool over all spatial dims. Integer semantics: rdiv(Σ x, H·W) (public integer divisor). */
import { divRound } from './int-math.ts';
import { size } from './shape-util.ts';
import type { Arr, OpDef } from './types.ts';

function gap(x: Arr, div: (sum: number, n: number) => number): Arr {
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const hw = size(x.shape.slice(2));
  const out = new Float64Array(n * c);
  for (let p = 0; p < n * c; p++) {
    let s = 0;
    for (let i = 0; i < hw; i++) s += x.data[p * hw + i]!;
    out[p] = div(s, hw);
  }
  return { shape: [n, c, ...x.shape.slice(2).map(() => 1)], data: out };
}

export const globalAveragePool: OpDef = {
  op: 'GlobalAveragePool',
  shape: (_n, s) => [[s[0]![0]!, s[0]![1]!, ...s[0]!.slice(2).map(() => 1)]],
  float: (_n, [x]) => [gap(x!, (s, n) => s / n)],
  int: (_n, [x]) => [{ ...gap(x!, divRound), bits: x!.bits }],
};

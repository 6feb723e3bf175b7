/**
 * C dot products over the same inputs: out_c = Σ_i x_i·w_{c,i} + b_c, c < C, with fixed (public)
 * weights. The inputs are copied in once and read by every output, so a linear layer whose outputs share
 * their inputs (a dense layer's outputs, a conv's output channels at one position) needs C× fewer input
 * cells and rows than C separate dot products.
 *
 * Layout (region of R+1 rows, R = ⌈N/W⌉), gate `dot/fixed/{W}x{C}`:
 *   advice x_0..x_{W−1} | acc_0..acc_{C−1} (advice W..W+C−1) | weights w_{c,j} (C·W fixed columns)
 *   sel(i)·(acc_c(i+1) − acc_c(i) − Σ_j x_j(i)·w_{c,j}(i)) = 0     for each c, on rows 0..R−1
 * acc_c(0) is copied from b_c (a constant cell when the bias is a number), acc_c(R) is output c. The
 * weight columns of output 0 are the single-output chip's (dot.ts) so that both share them. When fewer
 * than C outputs are asked for, the unused slots have zero weights and start from the constant 0.
 *
 * Soundness: as for dot.ts, per output: every x and acc_c(0) is pinned by a copy and every weight is
 * fixed, so the gate determines acc_c(i+1) from row i and by induction acc_c(R) = b_c + Σ_i x_i·w_{c,i}.
 * Degree 3.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, fixed, mul, sub } from '../../plonk/expression.ts';
import { type CircuitBuilder, type Value, toBig } from '../builder.ts';
import { dotProduct, dotWeightColumn } from './dot.ts';

export interface MultiDotOptions {
  /** Products per row W (default 4). */
  readonly width?: number;
  /** Outputs per row C: the gate's accumulator count (default: the number of outputs asked for). */
  readonly outputs?: number;
}

/**
 * out_c = xs·ws[c] + biases[c] for c < ws.length ≤ C, in one region of ⌈N/W⌉ + 1 rows. One output
 * (C = 1) is the single-output chip's layout.
 */
export function dotProductsShared(
  b: CircuitBuilder,
  xs: readonly Value[],
  ws: readonly (ArrayLike<bigint | number>)[],
  biases: readonly (Value | bigint | number)[],
  opts: MultiDotOptions = {},
): Value[] {
  const W = opts.width ?? 4;
  const C = opts.outputs ?? ws.length;
  if (!Number.isInteger(W) || W < 1) throw new CircuitError(`dot product width ${W} must be a positive integer`);
  if (!Number.isInteger(C) || C < 1) throw new CircuitError(`dot product outputs per row ${C} must be a positive integer`);
  if (ws.length < 1 || ws.length > C) throw new CircuitError(`${ws.length} outputs in a dot row of ${C}`);
  if (biases.length !== ws.length) throw new CircuitError(`${ws.length} weight rows but ${biases.length} biases`);
  const N = xs.length;
  for (const row of ws) if (row.length !== N) throw new CircuitError(`dot product of ${N} inputs with ${row.length} weights`);
  if (C === 1) return [dotProduct(b, xs, Array.from(ws[0]!), biases[0]!, { width: W })];

  const kind = `dot/fixed/${W}x${C}`;
  const sel = b.selector(kind);
  const xCol = Array.from({ length: W }, (_, j) => b.advice(j));
  const accCol = Array.from({ length: C }, (_, c) => b.advice(W + c));
  const wCol = Array.from({ length: C }, (_, c) => Array.from({ length: W }, (_, j) => dotWeightColumn(b, W, c, j)));
  b.gate(kind, () =>
    accCol.map((acc, c) => {
      const products = xCol.map((x, j) => mul(advice(x.index), fixed(wCol[c]![j]!.index)));
      return mul(fixed(sel.index), sub(sub(advice(acc.index, 1), advice(acc.index)), add(...products)));
    }),
  );

  const R = Math.max(1, Math.ceil(N / W));
  const start = b.region(R + 1);
  const acc: bigint[] = [];
  for (let c = 0; c < C; c++) {
    const bias = c < ws.length ? biases[c]! : 0;
    acc.push(b.assignCopy(accCol[c]!, start, typeof bias === 'object' ? bias : b.constant(bias)).value);
  }
  const xv = new Array<bigint>(W);
  for (let i = 0; i < R; i++) {
    const row = start + i;
    b.enable(kind, row);
    for (let j = 0; j < W; j++) {
      const idx = i * W + j;
      xv[j] = b.assignCopy(xCol[j]!, row, idx < N ? xs[idx]! : b.constant(0)).value;
    }
    for (let c = 0; c < C; c++) {
      const wrow = c < ws.length ? ws[c]! : undefined;
      let a = acc[c]!;
      for (let j = 0; j < W; j++) {
        const idx = i * W + j;
        const w = wrow && idx < N ? toBig(wrow[idx]!) : 0n;
        b.setFixed(wCol[c]![j]!, row, w);
        a += xv[j]! * w;
      }
      acc[c] = a;
      b.assign(accCol[c]!, row + 1, a);
    }
  }
  return ws.map((_, c) => ({ cell: { column: accCol[c]!, row: start + R }, value: acc[c]! }));
}

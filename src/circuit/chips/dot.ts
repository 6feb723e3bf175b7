/**
 * Dot product + bias: out = Σ x_i·w_i + b, packing W products per row with a running accumulator.
 *
 * Layout (region of R+1 rows, R = ⌈N/W⌉), gate `dot/{fixed|advice}/W`:
 *   advice x_0..x_{W−1} | weights w_0..w_{W−1} (fixed columns, or advice columns W..2W−1) | acc
 *   sel(i)·(acc(i+1) − acc(i) − Σ_j x_j(i)·w_j(i)) = 0            enabled on rows 0..R−1 of the region
 * acc(0) is copied from the bias cell (a constant when the bias is a number), acc(R) is the output.
 * Every x cell (and every advice weight) is copied from its source; padding slots of the last row are
 * copied from the constant 0 (fixed weights on padding slots are 0 in the VK).
 *
 * Soundness: with every x, w and acc(0) pinned by copies (or fixed), the gate determines acc(i+1) from
 * row i, so by induction acc(R) = b + Σ x_i w_i in the field; for integers with |result| < r/2 this is the
 * integer dot product. Degree 3.
 */
import { CircuitError } from '../../errors.ts';
import { type Column, add, advice, fixed, mul, sub } from '../../plonk/expression.ts';
import { type CircuitBuilder, type Value, toBig } from '../builder.ts';

export interface DotOptions {
  /** Products per row (default 4). */
  readonly width?: number;
}

/**
 * The fixed weight column of output slot c, product slot j, of a W-wide dot row: output 0's are this
 * chip's, shared with the multi-output chip (dot-multi.ts), whose other slots have their own.
 */
export function dotWeightColumn(b: CircuitBuilder, W: number, c: number, j: number): Column {
  return b.fixed(c === 0 ? `dot/fixed/${W}:w${j}` : `dot/fixed/${W}:c${c}w${j}`);
}

/** Weights as numbers/bigints are fixed (public, in the VK); as Values they are advice copied in. */
export function dotProduct(
  b: CircuitBuilder,
  xs: readonly Value[],
  ws: readonly (bigint | number)[] | readonly Value[],
  bias: Value | bigint | number,
  opts: DotOptions = {},
): Value {
  const W = opts.width ?? 4;
  if (!Number.isInteger(W) || W < 1) throw new CircuitError(`dot product width ${W} must be a positive integer`);
  if (xs.length !== ws.length) throw new CircuitError(`dot product of ${xs.length} inputs with ${ws.length} weights`);
  const adviceWeights = ws.length > 0 && typeof ws[0] === 'object';
  const kind = `dot/${adviceWeights ? 'advice' : 'fixed'}/${W}`;
  const sel = b.selector(kind);
  const xCol = Array.from({ length: W }, (_, j) => b.advice(j));
  const wCol = Array.from({ length: W }, (_, j) => (adviceWeights ? b.advice(W + j) : dotWeightColumn(b, W, 0, j)));
  const accCol = b.advice(adviceWeights ? 2 * W : W);
  b.gate(kind, () => {
    const q = (c: (typeof wCol)[number], rot = 0) => (c.type === 'fixed' ? fixed(c.index, rot) : advice(c.index, rot));
    const products = xCol.map((x, j) => mul(advice(x.index), q(wCol[j]!)));
    return [mul(fixed(sel.index), sub(sub(advice(accCol.index, 1), advice(accCol.index)), add(...products)))];
  });

  const N = xs.length;
  const R = Math.max(1, Math.ceil(N / W));
  const start = b.region(R + 1);
  const biasV = typeof bias === 'object' ? bias : b.constant(bias);
  let acc = b.assignCopy(accCol, start, biasV).value;
  const zero = () => b.constant(0);
  for (let i = 0; i < R; i++) {
    const row = start + i;
    b.enable(kind, row);
    for (let j = 0; j < W; j++) {
      const idx = i * W + j;
      const x = idx < N ? xs[idx]! : zero();
      b.assignCopy(xCol[j]!, row, x);
      let w: bigint;
      if (adviceWeights) {
        const wv = idx < N ? (ws[idx] as Value) : zero();
        b.assignCopy(wCol[j]!, row, wv);
        w = wv.value;
      } else {
        w = idx < N ? toBig(ws[idx] as bigint | number) : 0n;
        b.setFixed(wCol[j]!, row, w);
      }
      acc += x.value * w;
    }
    b.assign(accCol, row + 1, acc);
  }
  return { cell: { column: accCol, row: start + R }, value: acc };
}

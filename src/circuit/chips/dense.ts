/**
 * Dense (fully connected) layer from the chips: y_j = act(rdiv(Σ_i x_i·W[j][i] + b_j, 2^s)), with public
 * (fixed) weights and biases, rescale into the B-bit activation range, optional ReLU. The bias is at the
 * product scale (2s), as in the integer reference.
 */
import { CircuitError } from '../../errors.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { dotProduct } from './dot.ts';
import { relu } from './relu.ts';
import { rescale } from './rescale.ts';

export interface DenseOptions {
  readonly scaleBits: number;
  readonly actBits: number;
  readonly relu?: boolean;
  /** Products per row of the dot-product gate (default 4). */
  readonly width?: number;
  /** Widest range table the rescale uses directly (default 16); wider ranges go by limbs. */
  readonly maxTableBits?: number;
}

export function dense(
  b: CircuitBuilder,
  xs: readonly Value[],
  weights: readonly (readonly (bigint | number)[])[],
  bias: readonly (bigint | number)[],
  opts: DenseOptions,
): Value[] {
  if (weights.length !== bias.length) throw new CircuitError(`dense: ${weights.length} weight rows but ${bias.length} biases`);
  return weights.map((row, j) => {
    const acc = dotProduct(b, xs, row, bias[j]!, { width: opts.width });
    const q = rescale(b, acc, opts.scaleBits, opts.actBits, { maxTableBits: opts.maxTableBits });
    return opts.relu ? relu(b, q, opts.actBits) : q;
  });
}

/**
 * PRelu as src/layers/prelu.ts defines it, per element x at scale s with its (constant) slope k_q:
 *   r = relu(x) (sign-bit gadget),  m = x − r (= min(x, 0), `difference`),  y = r + rescale(m·k_q)
 * (`affine` with k_q public in a fixed column, then the rescale chip; summed by the dot chip). For x ≥ 0,
 * m = 0 and the rescale of 0 is 0; for x < 0, r = 0: y is the reference's value, every step constrained.
 */
import { affine, difference } from '../../circuit/chips/elementwise.ts';
import { quantize } from '../../layers/int-math.ts';
import { slopeIndex } from '../../layers/prelu.ts';
import { reluSigned } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';

export function lowerPRelu(ctx: LowerCtx): Cells[] {
  const { b, s, B, T, node, ins } = ctx;
  const x = ctx.runtimeAtScale(0, 'the PRelu input');
  const slope = ins[1]?.constFloat;
  if (!slope || ctx.runtime(1)) ctx.fail('the PRelu slope must be a constant');
  const kq = quantize(slope, s);
  const idx = slopeIndex(node, x.shape, ins[1]!.shape);
  const cells = x.cells.map((v, i) => {
    const r = reluSigned(b, v, B, T);
    const m = difference(b, v, r);
    return ctx.sumOf([r, ctx.rescaleOut(affine(b, m, kq[idx[i]!]!))]);
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

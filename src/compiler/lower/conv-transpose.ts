/**
 * ConvTranspose as src/layers/conv-transpose.ts defines it: per output element, one dot-product chip over
 * the input cells that reach it (copied in) with the quantized weights in fixed columns (public, in the VK)
 * and the bias at scale 2^2s as the accumulator's start, then the rescale chip. The products are exactly
 * the reference's, in its order ({@link forEachConvTransposeOutput}). An output no input reaches (stride
 * beyond the dilated kernel) is the constant rdiv(b_q, 2^s): a fixed cell.
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { forEachConvTransposeOutput } from '../../layers/conv-transpose.ts';
import { quantize, rescale } from '../../layers/int-math.ts';
import type { Cells, LowerCtx } from './context.ts';

export function lowerConvTranspose(ctx: LowerCtx): Cells[] {
  const { b, s, W, ins } = ctx;
  const x = ctx.runtimeAtScale(0, 'the ConvTranspose input');
  const [wIn, bIn] = [ins[1]!, ins[2]];
  if (!wIn.constFloat || ctx.runtime(1)) return ctx.fail('ConvTranspose weights must be constant');
  const hasBias = !!bIn && bIn.data.length > 0;
  if (hasBias && (!bIn!.constFloat || ctx.runtime(2))) return ctx.fail('ConvTranspose bias must be constant');
  const wq = quantize(wIn.constFloat, s);
  const bq = hasBias ? quantize(bIn!.constFloat!, 2 * s) : undefined;
  const cells: Value[] = [];
  forEachConvTransposeOutput(ctx.node, x.shape, wIn.shape, (_o, m, xIdx, wIdx) => {
    const bias = bq ? bq[m]! : 0;
    if (xIdx.length === 0) {
      cells.push(b.constant(rescale(bias, s)));
      return;
    }
    const xv = xIdx.map((i) => x.cells[i]!);
    const wv = wIdx.map((i) => wq[i]!);
    cells.push(ctx.rescaleOut(dotProduct(b, xv, wv, bias, { width: W })));
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

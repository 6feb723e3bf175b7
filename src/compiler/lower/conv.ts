/**
 * Conv (1-D/2-D, strides, pads, dilations, groups) by im2col: one dot-product chip per output element over
 * the window's valid input cells (copied in) with the quantized weights in fixed columns (public, in the
 * VK) and the bias at the product scale 2^2s as the accumulator's start, then the rescale chip. The
 * products are exactly those src/layers/conv.ts sums, in its order ({@link forEachConvOutput}).
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { forEachConvOutput } from '../../layers/conv.ts';
import { quantize } from '../../layers/int-math.ts';
import type { Cells, LowerCtx } from './context.ts';

/** Conv with constant weights (and bias): one dot row per output element, then rescale. */
export function lowerConv(ctx: LowerCtx): Cells[] {
  const { b, s, W, ins } = ctx;
  const x = ctx.runtimeAtScale(0, 'the Conv input');
  const [wIn, bIn] = [ins[1]!, ins[2]];
  if (!wIn.constFloat) return ctx.fail('Conv weights must be constant');
  if (bIn && bIn.shape[0] !== 0 && !bIn.constFloat) return ctx.fail('Conv bias must be constant');
  const ws = wIn.shape;
  if (x.shape.length !== ws.length || (ws.length !== 3 && ws.length !== 4)) return ctx.fail(`unsupported Conv ranks [${x.shape}] / [${ws}]`);
  const wq = quantize(wIn.constFloat, s);
  const bq = bIn?.constFloat ? quantize(bIn.constFloat, 2 * s) : undefined;
  const cells: Value[] = [];
  forEachConvOutput(ctx.node, x.shape, ws, (_o, oc, xIdx, wIdx) => {
    const xv = Array.from(xIdx, (i) => x.cells[i]!);
    const wv = Array.from(wIdx, (i) => wq[i]!);
    cells.push(ctx.rescaleOut(dotProduct(b, xv, wv, bq ? bq[oc]! : 0, { width: W })));
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

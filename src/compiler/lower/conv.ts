/**
 * Conv (1-D/2-D, strides, pads, dilations, groups) by im2col: one dot-product chip per output element over
 * the window's valid input cells (copied in) with the quantized weights in fixed columns (public, in the
 * VK) and the bias at the product scale 2^2s as the accumulator's start, then the rescale chip. The
 * products are exactly those src/layers/conv.ts sums, in its order ({@link forEachConvOutput}). With
 * committed weights (../weights.ts) the weights and bias are the committed advice cells instead, copied
 * into dot/advice rows (the bias as the accumulator's start).
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
  const wc = ctx.committed(1);
  const bc = bIn && bIn.shape[0] !== 0 ? ctx.committed(2) : undefined;
  if (wc && wc.bits !== s) return ctx.fail(`committed Conv weights at 2^${wc.bits}, expected 2^${s}`);
  if (bc && bc.bits !== 2 * s) return ctx.fail(`committed Conv bias at 2^${bc.bits}, expected 2^${2 * s}`);
  const wq = wc ? undefined : quantize(wIn.constFloat, s);
  const bq = !bc && bIn?.constFloat ? quantize(bIn.constFloat, 2 * s) : undefined;
  const cells: Value[] = [];
  forEachConvOutput(ctx.node, x.shape, ws, (_o, oc, xIdx, wIdx) => {
    const xv = Array.from(xIdx, (i) => x.cells[i]!);
    const bias = bc ? bc.cells[oc]! : bq ? bq[oc]! : 0;
    const acc = wc ? dotProduct(b, xv, Array.from(wIdx, (i) => wc.cells[i]!), bias, { width: W }) : dotProduct(b, xv, Array.from(wIdx, (i) => wq![i]!), bias, { width: W });
    cells.push(ctx.rescaleOut(acc));
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

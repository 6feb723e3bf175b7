/**
 * Conv (1-D/2-D, strides, pads, dilations, groups) by im2col: one dot-product chip per output element over
 * the window's valid input cells (copied in) with the quantized weights in fixed columns (public, in the
 * VK) and the bias at the product scale 2^2s as the accumulator's start, then the rescale chip. With C
 * outputs per dot row (ctx.C > 1), the output channels of a group at one position share one region and
 * their inputs' copies (chips/dot-multi.ts), C channels at a time. The
 * products are exactly those src/layers/conv.ts sums, in its order ({@link forEachConvOutput}). With
 * committed weights (../weights.ts) the weights and bias are the committed advice cells instead, copied
 * into dot/advice rows (the bias as the accumulator's start).
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { dotProductsShared } from '../../circuit/chips/dot-multi.ts';
import { forEachConvOutput, forEachConvWindow } from '../../layers/conv.ts';
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
  if (!wc && !bc && ctx.C > 1) return [{ shape: ctx.ref[0]!.shape, bits: s, cells: convShared(ctx, x, ws, wq!, bq) }];
  const cells: Value[] = [];
  forEachConvOutput(ctx.node, x.shape, ws, (_o, oc, xIdx, wIdx) => {
    const xv = Array.from(xIdx, (i) => x.cells[i]!);
    const bias = bc ? bc.cells[oc]! : bq ? bq[oc]! : 0;
    const acc = wc ? dotProduct(b, xv, Array.from(wIdx, (i) => wc.cells[i]!), bias, { width: W }) : dotProduct(b, xv, Array.from(wIdx, (i) => wq![i]!), bias, { width: W });
    cells.push(ctx.rescaleOut(acc));
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

/** Constant-weight Conv with C outputs per dot row: per window, the group's channels C at a time. */
function convShared(ctx: LowerCtx, x: Cells, ws: number[], wq: Float64Array, bq: Float64Array | undefined): Value[] {
  const { b, W, C } = ctx;
  const cells = new Array<Value>(ctx.ref[0]!.data.length);
  const m = ws[0]!;
  // Weights of output channel oc: [oc·perChannel, (oc+1)·perChannel); outputs [N, M, positions].
  const perChannel = ws.slice(1).reduce((p, d) => p * d, 1);
  const positions = ctx.ref[0]!.shape.slice(2).reduce((p, d) => p * d, 1);
  forEachConvWindow(ctx.node, x.shape, ws, (batch, pos, ocFrom, ocTo, xIdx, kOff) => {
    const xv = Array.from(xIdx, (i) => x.cells[i]!);
    // A depthwise conv has one channel per window: the single-output chip, without empty slots.
    const slots = ocTo - ocFrom > 1 ? C : 1;
    for (let oc0 = ocFrom; oc0 < ocTo; oc0 += slots) {
      const ocs = Array.from({ length: Math.min(slots, ocTo - oc0) }, (_, i) => oc0 + i);
      const wrows = ocs.map((oc) => Array.from(kOff, (k) => wq[oc * perChannel + k]!));
      const accs = dotProductsShared(b, xv, wrows, ocs.map((oc) => (bq ? bq[oc]! : 0)), { width: W, outputs: slots });
      ocs.forEach((oc, i) => (cells[(batch * m + oc) * positions + pos] = ctx.rescaleOut(accs[i]!)));
    }
  });
  return cells;
}

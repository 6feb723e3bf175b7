/**
 * Conv (1-D/2-D, strides, pads, dilations, groups) by im2col: one dot-product chip per output element over
 * the window's valid input cells (copied in) with the quantized weights in fixed columns (public, in the
 * VK) and the bias at the product scale 2^2s as the accumulator's start, then the rescale chip. With C
 * outputs per dot row (ctx.C > 1), the output channels of a group at one position share one region and
 * their inputs' copies (chips/dot-multi.ts), C channels at a time. The
 * products are exactly those src/layers/conv.ts sums, in its order ({@link forEachConvOutput}). With
 * committed weights (../weights.ts) the weights and bias are the committed advice cells instead, copied
 * into dot/advice rows (the bias as the accumulator's start).
 *
 * A depthwise conv (group > 1, one output channel per group: each window read by one output, with its own
 * weights) of at most {@link MAX_DEPTHWISE_TAPS} products per output takes one row per output instead
 * (chips/depthwise.ts: the K = (C/group)·kh·kw products, the bias, the rescale and a fused ReLU / ReLU6 in
 * one gate, K + ~8 advice columns) — the dot rows took ⌈K/W⌉ + 1 rows and a rescale row per output. Its
 * weights and bias go in the dot rows' weight columns, so it adds no fixed columns where W·C ≥ K + 1.
 */
import type { Value } from '../../circuit/builder.ts';
import { depthwiseRows } from '../../circuit/chips/depthwise.ts';
import { dotProduct, dotWeightColumn } from '../../circuit/chips/dot.ts';
import { dotProductsShared } from '../../circuit/chips/dot-multi.ts';
import { attrInt } from '../../layers/attrs.ts';
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
  if (!wc && !bc && isDepthwise(ctx, ws)) return [{ shape: ctx.ref[0]!.shape, bits: s, cells: convDepthwise(ctx, x, ws, wq!, bq) }];
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

/**
 * Most products per output for the one-row depthwise chip: a 3×3 or 4×4 kernel, a 1-D kernel of up to 16.
 * Its row is K + ~8 advice columns wide and every row of the circuit pays for the widest chip, so larger
 * kernels keep the dot rows.
 */
export const MAX_DEPTHWISE_TAPS = 16;

/** Group > 1 with one output channel per group (depthwise, channel multiplier 1), few enough taps. */
function isDepthwise(ctx: LowerCtx, ws: number[]): boolean {
  const group = attrInt(ctx.node, 'group', 1);
  const taps = ws.slice(1).reduce((p, d) => p * d, 1);
  return group > 1 && ws[0] === group && taps <= MAX_DEPTHWISE_TAPS;
}

/** Depthwise Conv: one row per output (chips/depthwise.ts), tap k of a window in slot k (its kernel offset). */
function convDepthwise(ctx: LowerCtx, x: Cells, ws: number[], wq: Float64Array, bq: Float64Array | undefined): Value[] {
  const { b, s, W, T, B } = ctx;
  const cells = new Array<Value>(ctx.ref[0]!.data.length);
  const m = ws[0]!;
  const K = ws.slice(1).reduce((p, d) => p * d, 1);
  const positions = ctx.ref[0]!.shape.slice(2).reduce((p, d) => p * d, 1);
  const act = ctx.fusedActivation;
  const row = depthwiseRows(b, { taps: K, s, B, T, act: act ?? { kind: 'none' }, weightColumn: (j) => dotWeightColumn(b, W, Math.floor(j / W), j % W) });
  const wts = new Float64Array(K);
  const xv: Value[] = [];
  forEachConvWindow(ctx.node, x.shape, ws, (batch, pos, oc, _ocTo, xIdx, kOff) => {
    xv.length = xIdx.length;
    for (let i = 0; i < xIdx.length; i++) {
      xv[i] = x.cells[xIdx[i]!]!;
      wts[i] = wq[oc * K + kOff[i]!]!;
    }
    const { q, y } = row(xv, wts.subarray(0, xIdx.length), bq ? bq[oc]! : 0, kOff);
    if (act) ctx.recordActivation(q, act, y);
    cells[(batch * m + oc) * positions + pos] = q;
  });
  return cells;
}

/**
 * Conv (1-D/2-D; strides, pads/auto_pad, dilations, groups incl. depthwise). Weights must be constant.
 * Integer semantics: acc = Σ x_q · w_q + b_q with w_q = round(w · 2^s) and b_q = round(b · 2^2s) (the
 * product scale), then out = rdiv(acc, 2^s) — one dot product plus bias and one rescale per output.
 */
import { ModelError } from '../graph/errors.ts';
import { attrInt } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { quantize, rescaleAll } from './int-math.ts';
import { windowOf, windowShape, windowTaps, type Window } from './window.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef } from './types.ts';

function geometry(node: Node, x: number[], w: number[]): { win: Window; group: number } {
  if (x.length !== w.length || x.length < 3) throw new ModelError(node.name, `Conv input [${x}] and weight [${w}] ranks differ or are < 3`);
  const group = attrInt(node, 'group', 1);
  if (x[1]! !== w[1]! * group || w[0]! % group !== 0)
    throw new ModelError(node.name, `Conv channels: input has ${x[1]}, weight [${w}] with group ${group}`);
  return { win: windowOf(node, x.slice(2), w.slice(2)), group };
}

/**
 * The windows of a Conv over input shape xs and weight shape ws: `fill(b, g, o)` writes into xIdx the flat
 * input indices of the products of window (batch b, group g, position o), in summation order (input
 * channel, kernel row, kernel column; padding taps left out), and into kOff each product's weight offset
 * within one output channel's weights (those of channel oc start at oc·perChannel); it returns their count.
 */
function convWindows(node: Node, xs: number[], ws: number[]) {
  const { win, group } = geometry(node, xs, ws);
  const [n, c] = [xs[0]!, xs[1]!];
  const h = xs.length === 4 ? xs[2]! : 1;
  const wd = xs[xs.length - 1]!;
  const m = ws[0]!;
  const cg = c / group;
  const taps = windowTaps(win, h, wd);
  const kk = win.kh * win.kw;
  const xIdx = new Int32Array(cg * kk);
  const kOff = new Int32Array(cg * kk);
  const fill = (b: number, g: number, o: number): number => {
    const [from, to] = [taps.start[o]!, taps.start[o + 1]!];
    let count = 0;
    for (let ic = 0; ic < cg; ic++) {
      const xBase = (b * c + g * cg + ic) * h * wd;
      for (let t = from; t < to; t++) {
        xIdx[count] = xBase + taps.input[t]!;
        kOff[count++] = ic * kk + taps.kernel[t]!;
      }
    }
    return count;
  };
  return { n, m, group, mg: m / group, perChannel: cg * kk, positions: win.oh * win.ow, shape: windowShape(n, m, xs.length - 2, win), xIdx, kOff, fill };
}

/**
 * The im2col view of a Conv over input shape xs and weight shape ws: visits every output element o
 * (row-major over [N, M, (oh,) ow]) with its output channel and the flat (input, weight) index pairs of
 * the products summed into it, in summation order (input channel, kernel row, kernel column; padding
 * taps left out). The index views are valid only during the call. Returns the output shape.
 */
export function forEachConvOutput(
  node: Node,
  xs: number[],
  ws: number[],
  visit: (o: number, oc: number, xIdx: Int32Array, wIdx: Int32Array) => void,
): number[] {
  const { n, m, mg, perChannel, positions, shape, xIdx, kOff, fill } = convWindows(node, xs, ws);
  const wIdx = new Int32Array(kOff.length);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < m; oc++)
      for (let o = 0; o < positions; o++) {
        const count = fill(b, Math.floor(oc / mg), o);
        for (let i = 0; i < count; i++) wIdx[i] = oc * perChannel + kOff[i]!;
        visit((b * m + oc) * positions + o, oc, xIdx.subarray(0, count), wIdx.subarray(0, count));
      }
  return shape;
}

/**
 * The same im2col view by window: visits each (batch, group, position) once with the flat input indices
 * of its products and, for each, the offset of its weight within an output channel's weights (the
 * weights of output channel oc are at oc·(C/group)·kh·kw + kOff), then the group's output channels
 * [ocFrom, ocTo); returns the output shape. Every output channel of a group reads the same inputs at a
 * position, so a circuit can copy them in once for all of them. Output element index:
 * (b·M + oc)·positions + position.
 */
export function forEachConvWindow(
  node: Node,
  xs: number[],
  ws: number[],
  visit: (batch: number, position: number, ocFrom: number, ocTo: number, xIdx: Int32Array, kOff: Int32Array) => void,
): number[] {
  const { n, group, mg, positions, shape, xIdx, kOff, fill } = convWindows(node, xs, ws);
  for (let b = 0; b < n; b++)
    for (let g = 0; g < group; g++)
      for (let o = 0; o < positions; o++) {
        const count = fill(b, g, o);
        visit(b, o, g * mg, (g + 1) * mg, xIdx.subarray(0, count), kOff.subarray(0, count));
      }
  return shape;
}

/** The convolution sum with bias (no rescale), shared by float and integer semantics. */
function convCore(node: Node, xs: number[], x: Float64Array, ws: number[], w: Float64Array, bias: Float64Array | undefined): { shape: number[]; data: Float64Array } {
  const { win } = geometry(node, xs, ws);
  const out = new Float64Array(xs[0]! * ws[0]! * win.oh * win.ow);
  const shape = forEachConvOutput(node, xs, ws, (o, oc, xIdx, wIdx) => {
    let acc = bias ? bias[oc]! : 0;
    for (let i = 0; i < xIdx.length; i++) acc += x[xIdx[i]!]! * w[wIdx[i]!]!;
    out[o] = acc;
  });
  return { shape, data: out };
}

export const conv: OpDef = {
  op: 'Conv',
  shape: (node, s) => {
    const { win } = geometry(node, s[0]!, s[1]!);
    return [windowShape(s[0]![0]!, s[1]![0]!, s[0]!.length - 2, win)];
  },
  float: (node, [x, w, b]) => [convCore(node, x!.shape, x!.data, w!.shape, w!.data, b?.data)],
  int: (node, [x, w, b], ctx) => {
    const s = ctx.scaleBits;
    if (!w!.constFloat) throw new ModelError(node.name, 'Conv weights must be constant to be quantized');
    const wq = quantize(w!.constFloat, s);
    const bq = b ? (b.constFloat ? quantize(b.constFloat, 2 * s) : undefined) : undefined;
    if (b && !bq) throw new ModelError(node.name, 'Conv bias must be constant');
    const r = convCore(node, x!.shape, asFixed(x!, ctx), w!.shape, wq, bq);
    return [{ shape: r.shape, data: rescaleAll(r.data, s), bits: s }];
  },
};

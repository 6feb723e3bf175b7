/**
 * ConvTranspose (1-D and 2-D; strides, pads, output_padding, dilations, group, output_shape, auto_pad):
 * input x [N, C, (H,) W], weights w [C, M/group, (kH,) kW], bias [M]. Output coordinate o on a spatial axis
 * receives input i through kernel tap t when o = i·stride − pad_begin + t·dilation; the output size is
 * stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − pad_begin − pad_end. With output_shape (or
 * SAME_* auto_pad, output = in·stride) the total padding is derived and split as the ONNX spec says.
 * A linear layer with constant weights: integer semantics as Conv's, acc = b_q (scale 2s) + Σ x_q·w_q,
 * out = rdiv(acc, 2^s).
 */
import { ModelError } from '../graph/errors.ts';
import type { Node } from '../graph/ir.ts';
import { attrInt, attrInts, attrString } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { quantize, rescaleAll } from './int-math.ts';
import type { OpDef } from './types.ts';

/** Per spatial axis: output size and, per output coordinate, the (input, tap) pairs that reach it. */
interface Axis {
  out: number;
  taps: [number, number][][];
}

function axisOf(node: Node, n: number, k: number, s: number, d: number, adj: number, begin: number, end: number, outSize: number | undefined): Axis {
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const full = s * (n - 1) + adj + (k - 1) * d + 1;
  let pb = begin;
  let pe = end;
  let out = outSize;
  if (out === undefined && (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER')) out = n * s;
  if (out !== undefined) {
    // The ONNX split (onnxruntime follows it): SAME_UPPER pads more at the end, anything else at the beginning.
    const total = Math.max(0, full - out);
    [pb, pe] = autoPad === 'SAME_UPPER' ? [Math.floor(total / 2), total - Math.floor(total / 2)] : [total - Math.floor(total / 2), Math.floor(total / 2)];
  } else if (autoPad === 'VALID') [pb, pe] = [0, 0];
  const size = out ?? full - pb - pe;
  if (!(size > 0)) throw new ModelError(node.name, `ConvTranspose output size ${size} on an axis of ${n}`);
  const taps: [number, number][][] = Array.from({ length: size }, () => []);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const o = i * s - pb + t * d;
      if (o >= 0 && o < size) taps[o]!.push([i, t]);
    }
  return { out: size, taps };
}

/** Geometry of a ConvTranspose node: output shape and the taps of each spatial axis (1-D: H = 1). */
export function convTransposeGeometry(node: Node, xs: number[], ws: number[]): { shape: number[]; group: number; axes: [Axis, Axis] } {
  const nd = xs.length - 2;
  if ((nd !== 1 && nd !== 2) || ws.length !== xs.length) throw new ModelError(node.name, `ConvTranspose supports 1-D and 2-D inputs with matching weights, got [${xs}] and [${ws}]`);
  const group = attrInt(node, 'group', 1);
  if (!(group >= 1) || xs[1]! % group !== 0 || ws[0] !== xs[1]) throw new ModelError(node.name, `ConvTranspose weights [${ws}] do not match ${xs[1]} input channels in ${group} group(s)`);
  const ints = (name: string, def: number): number[] => {
    const v = attrInts(node, name, undefined) ?? new Array(nd).fill(def);
    if (v.length !== nd) throw new ModelError(node.name, `${name} [${v}] must have ${nd} entries`);
    return v;
  };
  const k = attrInts(node, 'kernel_shape', undefined) ?? ws.slice(2);
  if (k.join() !== ws.slice(2).join()) throw new ModelError(node.name, `kernel_shape [${k}] differs from the weights' [${ws.slice(2)}]`);
  const [st, dl, adj] = [ints('strides', 1), ints('dilations', 1), ints('output_padding', 0)];
  const pads = attrInts(node, 'pads', undefined) ?? new Array(2 * nd).fill(0);
  if (pads.length !== 2 * nd) throw new ModelError(node.name, `pads [${pads}] must have ${2 * nd} entries`);
  const outShapeAttr = attrInts(node, 'output_shape', undefined);
  const outSpatial = outShapeAttr ? outShapeAttr.slice(-nd) : undefined;
  adj.forEach((a, i) => {
    if (a < 0 || (a >= st[i]! && a >= dl[i]!)) throw new ModelError(node.name, `output_padding ${a} must be below the stride or the dilation`);
  });
  const axes = Array.from({ length: nd }, (_, i) => axisOf(node, xs[2 + i]!, k[i]!, st[i]!, dl[i]!, adj[i]!, pads[i]!, pads[nd + i]!, outSpatial?.[i]));
  const two: [Axis, Axis] = nd === 1 ? [{ out: 1, taps: [[[0, 0]]] }, axes[0]!] : [axes[0]!, axes[1]!];
  return { shape: [xs[0]!, ws[1]! * group, ...axes.map((a) => a.out)], group, axes: two };
}

/**
 * Visits every output element o (row-major over [N, M, (oh,) ow]) with its output channel and the flat
 * (input, weight) index pairs summed into it, in a fixed order (input channel, kernel row, kernel column).
 */
export function forEachConvTransposeOutput(node: Node, xs: number[], ws: number[], visit: (o: number, m: number, xIdx: number[], wIdx: number[]) => void): number[] {
  const { shape, group, axes } = convTransposeGeometry(node, xs, ws);
  const [ah, aw] = axes;
  const [n, c] = [xs[0]!, xs[1]!];
  const h = xs.length === 4 ? xs[2]! : 1;
  const wd = xs[xs.length - 1]!;
  const kh = ws.length === 4 ? ws[2]! : 1;
  const kw = ws[ws.length - 1]!;
  const mg = ws[1]!;
  const cg = c / group;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let m = 0; m < mg * group; m++) {
      const g = Math.floor(m / mg);
      const ml = m % mg;
      for (let oy = 0; oy < ah.out; oy++)
        for (let ox = 0; ox < aw.out; ox++) {
          const xIdx: number[] = [];
          const wIdx: number[] = [];
          for (let ci = 0; ci < cg; ci++) {
            const ch = g * cg + ci;
            for (const [iy, ty] of ah.taps[oy]!)
              for (const [ix, tx] of aw.taps[ox]!) {
                xIdx.push(((b * c + ch) * h + iy) * wd + ix);
                wIdx.push(((ch * mg + ml) * kh + ty) * kw + tx);
              }
          }
          visit(o++, m, xIdx, wIdx);
        }
    }
  return shape;
}

function convTransposeCore(node: Node, xs: number[], x: Float64Array, ws: number[], w: Float64Array, bias: Float64Array | undefined): { shape: number[]; data: Float64Array } {
  const outs: number[] = [];
  const shape = forEachConvTransposeOutput(node, xs, ws, (_o, m, xIdx, wIdx) => {
    let acc = bias ? bias[m]! : 0;
    for (let j = 0; j < xIdx.length; j++) acc += x[xIdx[j]!]! * w[wIdx[j]!]!;
    outs.push(acc);
  });
  return { shape, data: Float64Array.from(outs) };
}

export const convTranspose: OpDef = {
  op: 'ConvTranspose',
  shape: (node, s) => [convTransposeGeometry(node, s[0]!, s[1]!).shape],
  float: (node, [x, w, b]) => [convTransposeCore(node, x!.shape, x!.data, w!.shape, w!.data, b && b.data.length ? b.data : undefined)],
  int: (node, [x, w, b], ctx) => {
    const s = ctx.scaleBits;
    if (!w!.constFloat) throw new ModelError(node.name, 'ConvTranspose weights must be constant to be quantized');
    const hasBias = !!b && b.data.length > 0;
    if (hasBias && !b!.constFloat) throw new ModelError(node.name, 'ConvTranspose bias must be constant');
    const r = convTransposeCore(node, x!.shape, asFixed(x!, ctx), w!.shape, quantize(w!.constFloat, s), hasBias ? quantize(b!.constFloat!, 2 * s) : undefined);
    return [{ shape: r.shape, data: rescaleAll(r.data, s), bits: s }];
  },
};

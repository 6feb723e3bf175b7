/**
 * Conv (1-D/2-D; strides, pads/auto_pad, dilations, groups incl. depthwise). Weights must be constant.
 * Integer semantics: acc = Σ x_q · w_q + b_q with w_q = round(w · 2^s) and b_q = round(b · 2^2s) (the
 * product scale), then out = rdiv(acc, 2^s) — one dot product plus bias and one rescale per output.
 */
import { ModelError } from '../model/errors.ts';
import { attrInt } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { quantize, rescaleAll } from './int-math.ts';
import { windowOf, windowShape, type Window } from './window.ts';
import type { Node } from '../model/ir.ts';
import type { OpDef } from './types.ts';

function geometry(node: Node, x: number[], w: number[]): { win: Window; group: number } {
  if (x.length !== w.length || x.length < 3) throw new ModelError(node.name, `Conv input [${x}] and weight [${w}] ranks differ or are < 3`);
  const group = attrInt(node, 'group', 1);
  if (x[1]! !== w[1]! * group || w[0]! % group !== 0)
    throw new ModelError(node.name, `Conv channels: input has ${x[1]}, weight [${w}] with group ${group}`);
  return { win: windowOf(node, x.slice(2), w.slice(2)), group };
}

/** The convolution sum with bias (no rescale), shared by float and integer semantics. */
function convCore(node: Node, xs: number[], x: Float64Array, ws: number[], w: Float64Array, bias: Float64Array | undefined): { shape: number[]; data: Float64Array } {
  const { win, group } = geometry(node, xs, ws);
  const [n, c] = [xs[0]!, xs[1]!];
  const h = xs.length === 4 ? xs[2]! : 1;
  const wd = xs[xs.length - 1]!;
  const m = ws[0]!;
  const cg = c / group;
  const mg = m / group;
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow } = win;
  const out = new Float64Array(n * m * oh * ow);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < m; oc++) {
      const g = Math.floor(oc / mg);
      const b0 = bias ? bias[oc]! : 0;
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          let acc = b0;
          for (let ic = 0; ic < cg; ic++) {
            const xBase = (b * c + g * cg + ic) * h * wd;
            const wBase = (oc * cg + ic) * kh * kw;
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - padTop + ky * dh;
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - padLeft + kx * dw;
                if (ix < 0 || ix >= wd) continue;
                acc += x[xBase + iy * wd + ix]! * w[wBase + ky * kw + kx]!;
              }
            }
          }
          out[((b * m + oc) * oh + oy) * ow + ox] = acc;
        }
    }
  return { shape: windowShape(n, m, xs.length - 2, win), data: out };
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

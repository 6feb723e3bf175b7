/**
 * LayerNormalization (axis default −1, epsilon, Scale γ, optional B β), normalizing over dims ≥ axis.
 * Integer semantics per group of n elements x at scale s:
 *   μ = rdiv(Σ x, n)                        (public divisor)
 *   d = x − μ
 *   v = rdiv(Σ d², n · 2^s)                 (variance at scale s; public divisor)
 *   r = T_rsqrt(v)                          (table 'rsqrt': round(2^s / √(v/2^s + ε)), domain [0, hi])
 *   y = rdiv(d · r, 2^s)
 *   out = rdiv(y · γ_q, 2^s) + β_q          (γ_q, β_q quantized at s)
 */
import { ModelError } from '../graph/errors.ts';
import { attrFloat, attrInt, normAxis } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { divRound, quantize, rescale } from './int-math.ts';
import { broadcastIndex, size } from './shape-util.ts';
import { lookup } from './table.ts';
import type { Node } from '../graph/ir.ts';
import type { Arr, OpDef, OpInput, TableFn } from './types.ts';

function groups(node: Node, shape: number[]): { count: number; n: number; normShape: number[] } {
  const axis = normAxis(node, attrInt(node, 'axis', -1), shape.length);
  const normShape = shape.slice(axis);
  return { count: size(shape.slice(0, axis)), n: size(normShape), normShape };
}

function rsqrtFn(node: Node): TableFn {
  const eps = attrFloat(node, 'epsilon', 1e-5);
  return { fn: (v) => 1 / Math.sqrt(Math.max(v, 0) + eps), outside: 'error', defined: [0, Infinity] };
}

/** γ and β broadcast to the normalized shape (float values). */
function params(node: Node, inputs: OpInput[], normShape: number[]): { g: Float64Array; b: Float64Array | undefined } {
  const take = (i: number): Float64Array | undefined => {
    const t = inputs[i];
    if (!t || !node.inputs[i]) return undefined;
    const map = broadcastIndex(normShape, t.shape);
    return Float64Array.from(map, (j) => t.data[j]!);
  };
  const g = take(1);
  if (!g) throw new ModelError(node.name, 'LayerNormalization needs Scale');
  return { g, b: take(2) };
}

export const layerNorm: OpDef = {
  op: 'LayerNormalization',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, inputs) => {
    const x = inputs[0]!;
    const { count, n, normShape } = groups(node, x.shape);
    const { g, b } = params(node, inputs, normShape);
    const eps = attrFloat(node, 'epsilon', 1e-5);
    const out = new Float64Array(x.data.length);
    for (let k = 0; k < count; k++) {
      const o = k * n;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x.data[o + i]!;
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x.data[o + i]! - mean) ** 2;
      const r = 1 / Math.sqrt(v / n + eps);
      for (let i = 0; i < n; i++) out[o + i] = (x.data[o + i]! - mean) * r * g[i]! + (b ? b[i]! : 0);
    }
    return [{ shape: [...x.shape], data: out }];
  },
  int: (node, inputs, ctx) => {
    const s = ctx.scaleBits;
    const S = 2 ** s;
    const xq = asFixed(inputs[0]!, ctx);
    const { count, n, normShape } = groups(node, inputs[0]!.shape);
    const fl = params(node, inputs.map((i) => ({ ...i, data: i.constFloat ?? i.data })), normShape);
    if (!inputs[1]!.constFloat) throw new ModelError(node.name, 'LayerNormalization Scale must be constant');
    const gq = quantize(fl.g, s);
    const bq = fl.b ? quantize(fl.b, s) : undefined;
    const out = new Float64Array(xq.length);
    const d = new Float64Array(n);
    const v = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += xq[k * n + i]!;
      const mu = divRound(sum, n);
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (xq[k * n + i]! - mu) ** 2;
      v[k] = divRound(sq, n * S);
    }
    const r = lookup(node, 'rsqrt', rsqrtFn(node), v, ctx, `${node.inputs[0]} (variance)`);
    for (let k = 0; k < count; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += xq[k * n + i]!;
      const mu = divRound(sum, n);
      for (let i = 0; i < n; i++) d[i] = xq[k * n + i]! - mu;
      for (let i = 0; i < n; i++) {
        const y = rescale(d[i]! * r[k]!, s);
        out[k * n + i] = rescale(y * gq[i]!, s) + (bq ? bq[i]! : 0);
      }
    }
    return [{ shape: [...inputs[0]!.shape], data: out, bits: s }];
  },
  tables: (node) => ({ rsqrt: rsqrtFn(node) }),
  tableArgRange: (node, inputs) => {
    const x = inputs[0]! as Arr;
    const { count, n } = groups(node, x.shape);
    let hi = 0;
    for (let k = 0; k < count; k++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x.data[k * n + i]!;
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x.data[k * n + i]! - mean) ** 2;
      hi = Math.max(hi, v / n);
    }
    return { rsqrt: [0, hi] };
  },
};

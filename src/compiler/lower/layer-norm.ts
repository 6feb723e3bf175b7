/**
 * LayerNormalization as src/layers/layer-norm.ts defines it, per group of n elements x at scale s:
 *   μ = rdiv(Σ x, n)              dot chip (weights 1) + divRoundConst by n
 *   d_i = x_i − μ                 `difference` rows
 *   v = rdiv(Σ d², n·2^s)         dot chip with advice weights (d · d) + divRoundConst by n·2^s
 *   r = T_rsqrt(v)                (v, round(2^s/√(v/2^s + ε))) lookup; the 'error' domain is enforced by it
 *   y_i = rdiv(d_i·r, 2^s)        `product` + rescale (quotient range from |d| and the table's maximum)
 *   out_i = rdiv(y_i·γ_i + β_i·2^s, 2^s)   `affine` (γ, β·2^s public) + rescale; equals rdiv(y·γ, 2^s) + β
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { affine, difference, product } from '../../circuit/chips/elementwise.ts';
import { rescale } from '../../circuit/chips/rescale.ts';
import { tableLookup } from '../../circuit/chips/table-lookup.ts';
import { attrFloat, attrInt, normAxis } from '../../layers/attrs.ts';
import { quantize } from '../../layers/int-math.ts';
import { broadcastIndex, size } from '../../layers/shape-util.ts';
import { tableValue } from '../../layers/table.ts';
import { divRoundConst } from '../gadgets.ts';
import { bitsFor, checkTableRows, type Cells, type LowerCtx } from './context.ts';

export function lowerLayerNorm(ctx: LowerCtx): Cells[] {
  const { b, s, W, T, B, node, ins, settings } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('LayerNormalization of a constant');
  if (x.bits !== s) ctx.fail(`the input is at scale 2^${x.bits}, expected 2^${s}`);
  const axis = normAxis(node, attrInt(node, 'axis', -1), x.shape.length);
  const normShape = x.shape.slice(axis);
  const n = size(normShape);
  const count = size(x.shape.slice(0, axis));
  const param = (i: number, what: string): Float64Array | undefined => {
    if (!node.inputs[i] || !ins[i]) return undefined;
    const c = ins[i]!.constFloat ?? ctx.fail(`${what} must be a constant`);
    return Float64Array.from(broadcastIndex(normShape, ins[i]!.shape), (j) => c[j]!);
  };
  const gq = quantize(param(1, 'Scale') ?? ctx.fail('LayerNormalization needs Scale'), s);
  const beta = param(2, 'B');
  const bq = beta ? quantize(beta, s) : new Float64Array(n);

  const eps = attrFloat(node, 'epsilon', 1e-5);
  const spec = settings.tables[node.name]?.['rsqrt'] ?? ctx.fail(`no 'rsqrt' table domain in the quantization settings`);
  const { lo, hi } = spec;
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) ctx.fail(`rsqrt table domain [${lo}, ${hi}] is not integer`);
  checkTableRows(ctx, 'rsqrt table', lo, hi);
  const rsqrt = (q: number): number => {
    const v = tableValue((t) => 1 / Math.sqrt(Math.max(t, 0) + eps), q, s);
    return Number.isFinite(v) ? v : ctx.fail(`rsqrt table value at ${q} is not finite`);
  };
  // The name carries ε (it changes the function); equal domains share the table.
  const table = { name: `rsqrt/${eps}/${lo}/${hi}/s${s}`, lo, hi: hi + 1, f: rsqrt };

  const S = 2 ** s;
  const dBits = B + 1; // x and μ are B-bit activations
  const varBits = Math.min(60, 2 * dBits + 2 - s); // v ≤ max d² / 2^s, signed
  const yBits = Math.min(60, dBits + bitsFor(Math.max(rsqrt(lo), rsqrt(hi))) - s + 2);
  const cells = new Array<Value>(x.cells.length);
  for (let k = 0; k < count; k++) {
    const xs = x.cells.slice(k * n, (k + 1) * n);
    const mu = ctx.meanOf(xs, n);
    const d = xs.map((v) => difference(b, v, mu));
    const sq = dotProduct(b, d, d, 0, { width: W });
    const v = divRoundConst(b, sq, n * S, varBits, T);
    const r = tableLookup(b, v, table);
    d.forEach((di, i) => {
      const y = rescale(b, product(b, di, r), s, yBits, { maxTableBits: T });
      cells[k * n + i] = ctx.rescaleOut(affine(b, y, gq[i]!, bq[i]! * S));
    });
  }
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

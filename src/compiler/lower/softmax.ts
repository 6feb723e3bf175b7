/**
 * Softmax as src/layers/softmax.ts defines it, per row of n elements x at scale s:
 *   m = max(x)                   selectCmp max chain (m is the maximum, pinned)
 *   d_i = x_i − m                `difference` row (d_i ≤ 0 because m is the max)
 *   e_i = T_exp(max(d_i, lo))    selectCmp max against the table's low end (the reference clamps there),
 *                                then the (d, round(exp(d/2^s)·2^s)) lookup over [lo, hi]
 *   Σ = Σ e_i                    dot chip, weights 1 (Σ ≥ 2^s: the max contributes exp(0))
 *   out_i = rdiv(e_i·2^s, Σ)     divvar chip (quotient in [0, 2^s], remainder two-sided)
 * The row iteration (axis, opset < 13 coercion) mirrors the reference's.
 */
import { divRoundVar } from '../../circuit/chips/div-var.ts';
import { difference } from '../../circuit/chips/elementwise.ts';
import { tableLookup } from '../../circuit/chips/table-lookup.ts';
import type { Value } from '../../circuit/builder.ts';
import { attrInt, normAxis } from '../../layers/attrs.ts';
import { opsetOf } from '../../layers/softmax.ts';
import { tableValue } from '../../layers/table.ts';
import { selectCmp } from '../gadgets.ts';
import { bitsFor, checkTableRows, type Cells, type LowerCtx } from './context.ts';

/** Flat indices of every softmax row, as the reference visits them. */
export function softmaxRows(ctx: LowerCtx, shape: number[]): number[][] {
  const rank = shape.length;
  const opset = opsetOf(ctx.node);
  const axis = normAxis(ctx.node, attrInt(ctx.node, 'axis', opset >= 13 ? -1 : 1), rank);
  const prod = (d: number[]) => d.reduce((p, v) => p * v, 1);
  const outer = prod(shape.slice(0, axis));
  const [len, inner] = opset < 13 ? [prod(shape.slice(axis)), 1] : [shape[axis]!, prod(shape.slice(axis + 1))];
  const rows: number[][] = [];
  const row = (base: number, stride: number) => rows.push(Array.from({ length: len }, (_, i) => base + i * stride));
  if (inner === 1) for (let o = 0; o < outer; o++) row(o * len, 1);
  else for (let g = 0; g < outer; g++) for (let k = 0; k < inner; k++) row(g * len * inner + k, inner);
  return rows;
}

export function lowerSoftmax(ctx: LowerCtx): Cells[] {
  const { b, s, T, node, settings } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('Softmax of a constant');
  if (x.bits !== s) ctx.fail(`the Softmax input is at scale 2^${x.bits}, expected 2^${s}`);
  const spec = settings.tables[node.name]?.['exp'] ?? ctx.fail(`no 'exp' table domain in the quantization settings`);
  const { lo, hi } = spec;
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) ctx.fail(`exp table domain [${lo}, ${hi}] is not integer`);
  if (hi < 0) ctx.fail(`exp table domain [${lo}, ${hi}] does not reach 0 (the row maximum)`);
  checkTableRows(ctx, 'exp table', lo, hi);
  const S = 2 ** s;
  const table = { name: `softmax-exp/${lo}/${hi}/s${s}`, lo, hi: hi + 1, f: (q: number) => tableValue(Math.exp, q, s) };
  const K = ctx.cmpBits(lo);
  const cells = new Array<Value>(x.cells.length);
  for (const idx of softmaxRows(ctx, x.shape)) {
    const xs = idx.map((i) => x.cells[i]!);
    let m = xs[0]!;
    for (let i = 1; i < xs.length; i++) m = selectCmp(b, m, xs[i]!, 'max', K, T);
    const e = xs.map((v) => {
      const d = difference(b, v, m);
      // d ≤ 0 ≤ hi; only the low end can need the reference's clamp ('error' domains rely on the lookup).
      const arg = spec.outside === 'clamp' ? selectCmp(b, d, b.constant(lo), 'max', K, T) : d;
      return tableLookup(b, arg, table);
    });
    const sum = ctx.sumOf(e);
    const D = bitsFor(xs.length * tableValue(Math.exp, hi, s));
    idx.forEach((i, k) => {
      cells[i] = divRoundVar(b, e[k]!, sum, S, { divisorBits: D, quotientBits: s + 2, tableBits: T });
    });
  }
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

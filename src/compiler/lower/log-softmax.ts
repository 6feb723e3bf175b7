/**
 * LogSoftmax as src/layers/log-softmax.ts defines it, per row of n elements x at scale s:
 *   m = max(x)                  selectCmp max chain (m is the maximum, pinned)
 *   d_i = x_i − m               `difference` rows (d_i ≤ 0)
 *   e_i = T_exp(max(d_i, lo))   Softmax's clamp at the exp table's low end, then the exp lookup
 *   Σ = Σ e_i                   dot chip, weights 1
 *   L = T_log(Σ)                lookup over the 'log' domain ('error': Σ has a row only inside it)
 *   out_i = d_i − L             `difference` rows
 * The rows are visited as Softmax's lowering visits them.
 */
import { difference } from '../../circuit/chips/elementwise.ts';
import { tableLookup } from '../../circuit/chips/table-lookup.ts';
import type { Value } from '../../circuit/builder.ts';
import { logSoftmaxLog } from '../../layers/log-softmax.ts';
import { softmaxExp } from '../../layers/softmax.ts';
import { selectCmp } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';
import { softmaxRows } from './softmax.ts';
import { nodeTable } from './table-rows.ts';

export function lowerLogSoftmax(ctx: LowerCtx): Cells[] {
  const { b, T } = ctx;
  const x = ctx.runtimeAtScale(0, 'the LogSoftmax input');
  const exp = nodeTable(ctx, 'exp', softmaxExp);
  const log = nodeTable(ctx, 'log', logSoftmaxLog);
  if (exp.spec.hi < 0) ctx.fail(`exp table domain [${exp.spec.lo}, ${exp.spec.hi}] does not reach 0 (the row maximum)`);
  const K = ctx.cmpBits(exp.spec.lo);
  const cells = new Array<Value>(x.cells.length);
  for (const idx of softmaxRows(ctx, x.shape)) {
    const xs = idx.map((i) => x.cells[i]!);
    let m = xs[0]!;
    for (let i = 1; i < xs.length; i++) m = selectCmp(b, m, xs[i]!, 'max', K, T);
    const d = xs.map((v) => difference(b, v, m));
    const e = d.map((di) => tableLookup(b, exp.spec.outside === 'clamp' ? selectCmp(b, di, b.constant(exp.spec.lo), 'max', K, T) : di, exp.table));
    const L = tableLookup(b, ctx.sumOf(e), log.table);
    idx.forEach((i, k) => (cells[i] = difference(b, d[k]!, L)));
  }
  return [{ shape: ctx.ref[0]!.shape, bits: ctx.s, cells }];
}

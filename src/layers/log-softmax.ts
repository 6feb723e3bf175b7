/**
 * LogSoftmax over `axis` (rows as Softmax's: opset ≥ 13 one axis, default −1; before, 2-D coercion).
 * Integer semantics per row of n elements x at scale s:
 *   m = max(x),   d_i = x_i − m                    (d_i ≤ 0)
 *   e_i = T_exp(d_i)                               (Softmax's clamped exp table)
 *   Σ = Σ e_i                                      (in [2^s, n·2^s]: the max contributes exp(0) = 2^s)
 *   L = T_log(Σ) = round(log(Σ / 2^s)·2^s)          (table 'log' over the integers Σ can take)
 *   out_i = d_i − L
 * The log table's argument range is known from n alone: [1, n] in reals.
 */
import { asFixed } from './fixed.ts';
import { lookup } from './table.ts';
import { forRows, opsetOf, rows, softmaxExp } from './softmax.ts';
import type { OpDef, TableFn } from './types.ts';

/** T_log(Σ) = round(log(Σ/2^s)·2^s) for Σ ≥ 1 ('error' domain: Σ cannot leave [2^s, n·2^s]). */
export const logSoftmaxLog: TableFn = { fn: Math.log, outside: 'error', defined: [Number.MIN_VALUE, Infinity] };

export const logSoftmax: OpDef = {
  op: 'LogSoftmax',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, [a]) => {
    const x = a!.data;
    const out = new Float64Array(x.length);
    const r = rows(node, a!.shape, opsetOf(node));
    forRows(r, (base, st) => {
      let m = -Infinity;
      for (let i = 0; i < r.len; i++) m = Math.max(m, x[base + i * st]!);
      let sum = 0;
      for (let i = 0; i < r.len; i++) sum += Math.exp(x[base + i * st]! - m);
      const l = Math.log(sum);
      for (let i = 0; i < r.len; i++) out[base + i * st] = x[base + i * st]! - m - l;
    });
    return [{ shape: [...a!.shape], data: out }];
  },
  int: (node, [a], ctx) => {
    const x = asFixed(a!, ctx);
    const out = new Float64Array(x.length);
    const r = rows(node, a!.shape, opsetOf(node));
    const d = new Float64Array(r.len);
    forRows(r, (base, st) => {
      let m = -Infinity;
      for (let i = 0; i < r.len; i++) m = Math.max(m, x[base + i * st]!);
      for (let i = 0; i < r.len; i++) d[i] = x[base + i * st]! - m;
      const e = lookup(node, 'exp', softmaxExp, d, ctx, node.inputs[0]!);
      let sum = 0;
      for (let i = 0; i < r.len; i++) sum += e[i]!;
      const l = lookup(node, 'log', logSoftmaxLog, Float64Array.of(sum), ctx, node.inputs[0]!)[0]!;
      for (let i = 0; i < r.len; i++) out[base + i * st] = d[i]! - l;
    });
    return [{ shape: [...a!.shape], data: out, bits: ctx.scaleBits }];
  },
  tables: () => ({ exp: softmaxExp, log: logSoftmaxLog }),
  tableArgRange: (node, [a]) => ({ exp: [-Infinity, 0], log: [1, rows(node, a!.shape, opsetOf(node)).len] }),
};

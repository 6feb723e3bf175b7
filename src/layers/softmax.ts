/**
 * Softmax over `axis` (opset ≥ 13: one axis, default −1; opset < 13: all dims from `axis`, default 1).
 * Integer semantics per row, inputs x at scale s:
 *   m = max(x)                                     (comparisons)
 *   e_i = T_exp(x_i − m)                           (table 'exp': round(exp(d/2^s)·2^s), d ≤ 0; clamped
 *                                                   below at the point where exp rounds to 0)
 *   Σ = Σ e_i                                      (≥ 2^s, since the max contributes exp(0))
 *   out_i = rdiv(e_i · 2^s, Σ)                     (division by a variable with rounding)
 */
import { attrInt, normAxis } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { divRound } from './int-math.ts';
import { lookup } from './table.ts';
import type { Node } from '../graph/ir.ts';
import type { Arr, OpDef, TableFn } from './types.ts';

/** Rows of the softmax: outer count, row length, inner stride (elements of one row are `inner` apart). */
export function rows(node: Node, shape: number[], opset: number): { outer: number; len: number; inner: number } {
  const rank = shape.length;
  const axis = normAxis(node, attrInt(node, 'axis', opset >= 13 ? -1 : 1), rank);
  if (opset < 13) {
    // Coerced to 2-D [prod(shape[:axis]), prod(shape[axis:])].
    const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
    return { outer, len: shape.slice(axis).reduce((p, d) => p * d, 1), inner: 1 };
  }
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  return { outer: outer * inner, len: shape[axis]!, inner };
}

/** Calls f(base, stride) for every softmax row; `base` is the flat index of the row's first element. */
export function forRows(r: { outer: number; len: number; inner: number }, f: (base: number, stride: number) => void): void {
  if (r.inner === 1) for (let o = 0; o < r.outer; o++) f(o * r.len, 1);
  else {
    const groups = r.outer / r.inner;
    for (let g = 0; g < groups; g++) for (let k = 0; k < r.inner; k++) f(g * r.len * r.inner + k, r.inner);
  }
}

/** The exp table of softmax: clamped at the low end (exp rounds to 0 there), inputs never exceed 0. */
export const softmaxExp: TableFn = {
  fn: Math.exp,
  outside: 'clamp',
  saturatesAt: (s) => [-(Math.log(2 ** (s + 1)) + 1), 0],
};

/**
 * Opset whose semantics a node follows: the importer records it as the private attribute `__opset` on nodes
 * whose meaning changed across opsets (the writer never writes `__` attributes); default 13.
 */
export function opsetOf(node: Node): number {
  const a = node.attrs['__opset'];
  return a && a.type === 'int' ? a.value : 13;
}

export const softmax: OpDef = {
  op: 'Softmax',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, [a]) => {
    const x = a!.data;
    const out = new Float64Array(x.length);
    const n = rowsLen(node, a!);
    forRows(rows(node, a!.shape, opsetOf(node)), (base, st) => {
      let m = -Infinity;
      for (let i = 0; i < n; i++) m = Math.max(m, x[base + i * st]!);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += out[base + i * st] = Math.exp(x[base + i * st]! - m);
      for (let i = 0; i < n; i++) out[base + i * st]! /= sum;
    });
    return [{ shape: [...a!.shape], data: out }];
  },
  int: (node, [a], ctx) => {
    const s = ctx.scaleBits;
    const x = asFixed(a!, ctx);
    const out = new Float64Array(x.length);
    const n = rowsLen(node, a!);
    const d = new Float64Array(n);
    forRows(rows(node, a!.shape, opsetOf(node)), (base, st) => {
      let m = -Infinity;
      for (let i = 0; i < n; i++) m = Math.max(m, x[base + i * st]!);
      for (let i = 0; i < n; i++) d[i] = x[base + i * st]! - m;
      const e = lookup(node, 'exp', softmaxExp, d, ctx, node.inputs[0]!);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += e[i]!;
      for (let i = 0; i < n; i++) out[base + i * st] = divRound(e[i]! * 2 ** s, sum);
    });
    return [{ shape: [...a!.shape], data: out, bits: s }];
  },
  tables: () => ({ exp: softmaxExp }),
  tableArgRange: () => ({ exp: [-Infinity, 0] }),
};

function rowsLen(node: Node, a: Arr): number {
  return rows(node, a.shape, opsetOf(node)).len;
}

/**
 * Activations that grow like g·x on the right and saturate on the left (Elu, Selu, Softplus, Mish): written
 * as f(x) = g·max(x, 0) + h(x), where h = f − g·relu saturates at both ends, so h is a 'clamp' table and the
 * unbounded part is exact integer arithmetic. Integer semantics on x at scale s:
 *   y = R + T_h(clamp(x, lo, hi)),   R = max(x, 0)                 (g = 1)
 *                                    R = rdiv(max(x, 0)·g_q, 2^s)  (g_q = round(g·2^s), otherwise)
 *   T_h(q) = round(h(q/2^s)·2^s), [lo, hi] where h is within 2^−(s+2) of its limits (plus one unit).
 * The table (kind 'h', so it is never taken for a plain f(x) table op) has x itself as its argument and
 * the saturation interval as its domain: quantization calibrates nothing for it.
 */
import type { Node } from '../graph/ir.ts';
import { asFixed } from './fixed.ts';
import { rescale, roundHalfUp } from './int-math.ts';
import { unary } from './shape-util.ts';
import { lookup } from './table.ts';
import type { OpDef, TableFn } from './types.ts';

/** The real function f, its slope g on the right, and the limits of h = f − g·relu at −∞ and +∞. */
export interface ReluPlusTable {
  f: (x: number) => number;
  gain: number;
  limLo: number;
  limHi: number;
}

/** The point beyond which h stays within 2^−(s+2) of `lim`, walking from 0 in direction `dir` (±1), plus one. */
function tailBound(h: (x: number) => number, lim: number, dir: 1 | -1, s: number): number {
  const tol = 2 ** -(s + 2);
  const flat = (x: number): boolean => [0, 1, 2, 4, 8, 16].every((k) => Math.abs(h(x + dir * k) - lim) <= tol);
  let x = 0;
  while (Math.abs(x) < 64 && !flat(x)) x += dir / 8;
  return x + dir;
}

/** The saturating part h = f − g·relu as a 'clamp' table function. */
export function saturatingPart(spec: ReluPlusTable): TableFn {
  const h = (x: number): number => spec.f(x) - spec.gain * Math.max(x, 0);
  return { fn: h, outside: 'clamp', saturatesAt: (s) => [tailBound(h, spec.limLo, -1, s), tailBound(h, spec.limHi, 1, s)] };
}

/** g_q = round(g·2^s), the integer slope of the linear part (1 stays exact: R = max(x, 0)). */
export const gainQ = (gain: number, s: number): number => (gain === 1 ? 2 ** s : roundHalfUp(gain * 2 ** s));

/** An op defined by {@link reluPlusTableOp}: its OpDef plus the spec its lowering reads. */
export interface ReluPlusTableDef extends OpDef {
  reluPlusTable(node: Node): ReluPlusTable;
}

/** An elementwise op f(x) = g·relu(x) + h(x), see the file comment. */
export function reluPlusTableOp(op: string, specOf: (node: Node) => ReluPlusTable): ReluPlusTableDef {
  return {
    op,
    reluPlusTable: specOf,
    shape: (_n, s) => [[...s[0]!]],
    float: (node, [a]) => [unary(a!, specOf(node).f)],
    int: (node, [a], ctx) => {
      const s = ctx.scaleBits;
      const spec = specOf(node);
      const x = asFixed(a!, ctx);
      const t = lookup(node, 'h', saturatingPart(spec), x, ctx, node.inputs[0]!);
      const g = gainQ(spec.gain, s);
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const r = Math.max(x[i]!, 0);
        out[i] = (spec.gain === 1 ? r : rescale(r * g, s)) + t[i]!;
      }
      return [{ shape: [...a!.shape], data: out, bits: s }];
    },
    tables: (node) => ({ h: saturatingPart(specOf(node)) }),
  };
}

/** log(1 + e^x) without overflow. */
export function softplusFn(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

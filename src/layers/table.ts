/**
 * Lookup-table non-linearities. A table for real function f at scale s maps each integer q in [lo, hi] to
 * T(q) = round(f(q / 2^s) · 2^s) (round half up). The circuit proves (q, T(q)) is a table row; this file is
 * the specification of the rows ({@link tableValue}) and of what happens outside [lo, hi]: 'clamp' tables
 * replace q by the nearest end (exact because f is flat there to within half a unit), 'error' tables raise
 * TableDomainError naming the op, node, tensor and value.
 */
import type { Node } from '../graph/ir.ts';
import { TableDomainError } from '../graph/errors.ts';
import { asFixed } from './fixed.ts';
import { roundHalfUp } from './int-math.ts';
import { unary } from './shape-util.ts';
import type { IntCtx, OpDef, TableFn, TableSpec } from './types.ts';

/** The table row for integer input q: round(f(q / 2^s) · 2^s). */
export function tableValue(f: (x: number) => number, q: number, scaleBits: number): number {
  const S = 2 ** scaleBits;
  return roundHalfUp(f(q / S) * S);
}

/**
 * Looks up every element of `data` (integers at scale s) in table (`node`, `kind`), applying the domain
 * policy. `tensor` names the argument in errors.
 */
export function lookup(node: Node, kind: string, fn: TableFn, data: Float64Array, ctx: IntCtx, tensor: string): Float64Array {
  const spec: TableSpec = ctx.table(kind);
  const s = ctx.scaleBits;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    let q = data[i]!;
    if (q < spec.lo || q > spec.hi) {
      if (spec.outside === 'error') throw new TableDomainError(node.op, node.name, tensor, q, spec.lo, spec.hi, s);
      q = q < spec.lo ? spec.lo : spec.hi;
    }
    const v = tableValue(fn.fn, q, s);
    if (!Number.isFinite(v)) throw new TableDomainError(node.op, node.name, tensor, q, spec.lo, spec.hi, s);
    out[i] = v;
  }
  return out;
}

/** An elementwise op that is one table lookup of its input (table kind 'f'). */
export function tableOp(op: string, fnOf: (node: Node) => TableFn): OpDef {
  return {
    op,
    shape: (_n, s) => [[...s[0]!]],
    float: (node, [a]) => {
      const f = fnOf(node).fn;
      return [unary(a!, f)];
    },
    int: (node, [a], ctx) => [{ shape: [...a!.shape], data: lookup(node, 'f', fnOf(node), asFixed(a!, ctx), ctx, node.inputs[0]!), bits: ctx.scaleBits }],
    tables: (node) => ({ f: fnOf(node) }),
  };
}

/** Saturation bound of sigmoid-like functions: |x| beyond which f is within 2^-(s+1) of its limit. */
export function logisticSaturation(s: number): [number, number] {
  const t = Math.log(2 ** (s + 1)) + 1;
  return [-t, t];
}

/** erf(x) to ~1e-15: Maclaurin series below 2, continued fraction for erfc above (JS has no Math.erf). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax < 2) {
    // Maclaurin series converges fast for |x| < 2: erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)).
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return sign * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc (Lentz), accurate for x ≥ 2.
  let f = ax;
  let C = ax;
  let D = 0;
  for (let n = 1; n < 100; n++) {
    const an = n / 2;
    D = ax + an * D;
    D = 1 / D;
    C = ax + an / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return sign * (1 - erfc);
}

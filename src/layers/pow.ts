/**
 * Pow with a constant scalar exponent p. Integer semantics: p = 1 → a; p ∈ {2..8} → repeated products
 * acc = rdiv(acc · a, 2^s) (p − 1 rescales, left to right); p = 0 → 2^s; any other p (negative,
 * fractional) → table lookup of x^p over the calibrated domain ('error' outside).
 */
import { ModelError } from '../graph/errors.ts';
import { asFixed } from './fixed.ts';
import { rescale } from './int-math.ts';
import { binary, broadcastShapes } from './shape-util.ts';
import { lookup } from './table.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef, OpInput, TableFn } from './types.ts';

function exponent(node: Node, inputs: OpInput[] | (Float64Array | undefined)[]): number {
  const e = inputs[1];
  const c = e instanceof Float64Array ? e : e?.constFloat;
  if (!c || c.length !== 1) throw new ModelError(node.name, 'Pow exponent must be a constant scalar');
  return c[0]!;
}

const isSmallInt = (p: number): boolean => Number.isInteger(p) && p >= 0 && p <= 8;

export const pow: OpDef = {
  op: 'Pow',
  shape: (node, s) => [broadcastShapes(node, [s[0]!, s[1]!])],
  float: (node, [a, b]) => [binary(node, a!, b!, (x, y) => x ** y)],
  int: (node, inputs, ctx) => {
    const p = exponent(node, inputs);
    const s = ctx.scaleBits;
    const x = asFixed(inputs[0]!, ctx);
    const shape = [...inputs[0]!.shape];
    if (isSmallInt(p)) {
      if (p === 0) return [{ shape, data: new Float64Array(x.length).fill(2 ** s), bits: s }];
      const out = Float64Array.from(x);
      for (let k = 1; k < p; k++) for (let i = 0; i < out.length; i++) out[i] = rescale(out[i]! * x[i]!, s);
      return [{ shape, data: out, bits: s }];
    }
    const fn: TableFn = { fn: (v) => v ** p, outside: 'error' };
    return [{ shape, data: lookup(node, 'f', fn, x, ctx, node.inputs[0]!), bits: s }];
  },
  tables: (node, consts): Record<string, TableFn> => {
    const p = exponent(node, consts);
    if (isSmallInt(p)) return {};
    return { f: { fn: (v: number) => v ** p, outside: 'error' } };
  },
};

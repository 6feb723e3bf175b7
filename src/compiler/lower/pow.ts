/**
 * Pow with a constant scalar exponent p, as src/layers/pow.ts defines it: p = 0 → the constant 2^s;
 * p = 1 → the input cells; p ∈ {2..8} → p − 1 `product` rows each followed by the rescale chip, left to
 * right (acc = rdiv(acc·x, 2^s)); any other p → the (x, round((x/2^s)^p·2^s)) lookup over the calibrated
 * 'error' domain (an argument outside it, or where the power is not finite, has no table row).
 */
import type { Value } from '../../circuit/builder.ts';
import { product } from '../../circuit/chips/elementwise.ts';
import { tableLookup } from '../../circuit/chips/table-lookup.ts';
import { tableValue } from '../../layers/table.ts';
import { checkTableRows, type Cells, type LowerCtx } from './context.ts';

export function lowerPow(ctx: LowerCtx): Cells[] {
  const { b, s, node, settings } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('Pow of a constant');
  if (x.bits !== s) ctx.fail(`the Pow input is at scale 2^${x.bits}, expected 2^${s}`);
  const e = ctx.ins[1]?.constFloat;
  if (!e || e.length !== 1) ctx.fail('the exponent must be a constant scalar');
  const p = e[0]!;
  const out = ctx.ref[0]!;
  let cells: Value[];
  if (Number.isInteger(p) && p >= 0 && p <= 8) {
    cells = x.cells.map((v) => {
      if (p === 0) return b.constant(2 ** s);
      let acc = v;
      for (let k = 1; k < p; k++) acc = ctx.rescaleOut(product(b, acc, v));
      return acc;
    });
  } else {
    const spec = settings.tables[node.name]?.['f'] ?? ctx.fail(`no 'f' table domain in the quantization settings`);
    const { lo, hi } = spec;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) ctx.fail(`table domain [${lo}, ${hi}] is not integer`);
    checkTableRows(ctx, 'Pow table', lo, hi);
    // Rows where x^p is not finite (negative x, fractional p; 0 for p < 0) are left out: the reference raises
    // there, and the circuit has no row to prove.
    const table = { name: `Pow/${p}/${lo}/${hi}/s${s}`, lo, hi: hi + 1, f: (q: number) => tableValue((t) => t ** p, q, s), partial: true };
    cells = x.cells.map((v) => tableLookup(b, v, table));
  }
  return [{ shape: out.shape, bits: s, cells }];
}

/**
 * Table ops: any op whose definition tabulates one real function f (OpDef.tables gives an 'f' entry) and
 * has no lowering of its own — Sigmoid, Tanh, Exp, Erf, Log, Sqrt, Reciprocal, Gelu, HardSigmoid,
 * HardSwish, and any later one — is one (x, tableValue(f, x)) lookup per element over the settings' table
 * domain [lo, hi]. 'clamp' tables clamp x into the domain first by sound comparisons (the reference
 * clamps); 'error' tables rely on the lookup (an out-of-domain x, or one where f is not finite, has no
 * row, so it cannot be proved).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { tableLookup } from '../../circuit/chips/table-lookup.ts';
import type { Node } from '../../graph/ir.ts';
import { tableValue } from '../../layers/table.ts';
import type { OpDef, OpInput, TableFn } from '../../layers/types.ts';
import { checkTableRows, type Cells, type LowerCtx } from './context.ts';

/** The single tabulated function of a table op ('f'), or undefined when the op is not one. */
export function tableFunction(def: OpDef, node: Node, ins: readonly OpInput[]): TableFn | undefined {
  return def.tables?.(node, ins.map((i) => i.constFloat))?.['f'];
}

/** A table op: one lookup per element (clamped first for 'clamp' domains). */
export function lowerTableOp(ctx: LowerCtx): Cells[] {
  const { b, s, node, settings } = ctx;
  const x = ctx.runtimeAtScale(0, `the ${node.op} input`);
  const fnDef = tableFunction(ctx.def, node, ctx.ins) ?? ctx.fail('no table function');
  const spec = settings.tables[node.name]?.['f'] ?? ctx.fail(`no 'f' table domain in the quantization settings`);
  const { lo, hi } = spec;
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) return ctx.fail(`table domain [${lo}, ${hi}] is not integer`);
  checkTableRows(ctx, `${ctx.node.op} table`, lo, hi);
  // 'error' tables leave out the rows where f is not finite (Reciprocal at 0, Log at x ≤ 0): the
  // reference raises there, and such an argument has no row to prove. 'clamp' tables need every row.
  const partial = spec.outside === 'error';
  const values = new Float64Array(hi - lo + 1);
  for (let q = lo; q <= hi; q++) {
    const v = tableValue(fnDef.fn, q, s);
    if (!partial && !Number.isFinite(v)) ctx.fail(`table value at ${q} is not finite`);
    values[q - lo] = v;
  }
  // The table is named by its rows (a digest of every value), never by the node: two nodes share a
  // table exactly when they compute the same function on the same domain.
  const digest = bytesToHex(sha256(new Uint8Array(values.buffer))).slice(0, 32);
  const table = { name: `${node.op}/${lo}/${hi}/s${s}/${digest}`, lo, hi: hi + 1, f: (q: number) => values[q - lo]!, partial };
  const cells = x.cells.map((v) => {
    const arg = spec.outside === 'clamp' ? ctx.clampCells(v, lo, hi) : v;
    return tableLookup(b, arg, table);
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}

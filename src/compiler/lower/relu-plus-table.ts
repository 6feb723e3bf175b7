/**
 * Elu / Selu / Softplus / Mish as src/layers/relu-plus-table.ts defines them, per element x at scale s:
 *   r = relu(x)                          sign-bit gadget (r = max(x, 0), unique)
 *   R = r                   (g = 1)      or R = rescale(r·g_q) (`affine` row, then the rescale chip)
 *   t = T_h(clamp(x, lo, hi))            two sign-bit comparisons, then the (q, T_h(q)) lookup
 *   y = R + t                            dot chip, weights 1
 * Every step is a constrained row, so y is the reference's value and nothing else.
 */
import { affine } from '../../circuit/chips/elementwise.ts';
import { tableLookup } from '../../circuit/chips/table-lookup.ts';
import { gainQ, saturatingPart, type ReluPlusTableDef } from '../../layers/relu-plus-table.ts';
import { reluSigned } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';
import { nodeTable } from './table-rows.ts';

export function lowerReluPlusTable(ctx: LowerCtx): Cells[] {
  const { b, s, B, T, node } = ctx;
  const x = ctx.runtimeAtScale(0, `the ${node.op} input`);
  const def = ctx.def as Partial<ReluPlusTableDef>;
  if (!def.reluPlusTable) ctx.fail('not a relu-plus-table op');
  const { gain } = def.reluPlusTable(node);
  const { table, spec } = nodeTable(ctx, 'h', saturatingPart(def.reluPlusTable(node)));
  if (spec.outside !== 'clamp') ctx.fail(`the 'h' table must clamp, got '${spec.outside}'`);
  const g = gainQ(gain, s);
  const cells = x.cells.map((v) => {
    const r = reluSigned(b, v, B, T);
    const lin = gain === 1 ? r : ctx.rescaleOut(affine(b, r, g));
    const t = tableLookup(b, ctx.clampCells(v, spec.lo, spec.hi), table);
    return ctx.sumOf([lin, t]);
  });
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells }];
}


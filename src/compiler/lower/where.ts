/**
 * Where(cond, x, y) as src/layers/where.ts defines it, x and y at the reference's common scale (raw integers
 * when both are raw, else 2^s; a raw runtime operand is lifted by an `affine` row ×2^s, constants become
 * fixed cells):
 * - a constant cond picks x's or y's cell per element (copies, no rows);
 * - a runtime cond must be a raw 0/1 tensor (a comparison's σ bits, possibly through Cast or movement); each
 *   element is one `select` row (chips/select.ts: c·(1 − c) = 0, z = y + c·(x − y)), so z is x or y as c
 *   says and c cannot be anything but a bit.
 */
import { select } from '../../circuit/chips/select.ts';
import type { Value } from '../../circuit/builder.ts';
import { pairBits } from '../../layers/fixed.ts';
import { broadcastIndex, size } from '../../layers/shape-util.ts';
import type { IntCtx } from '../../layers/types.ts';
import type { Cells, LowerCtx } from './context.ts';
import { commonScaleOperand } from './common-scale.ts';

export function lowerWhere(ctx: LowerCtx): Cells[] {
  const { b, s, ins, ref } = ctx;
  const out = ref[0]!;
  const ictx: IntCtx = { scaleBits: s, table: () => ctx.fail('no table') };
  const bits = pairBits(ins[1]!, ins[2]!, ictx);
  if (out.bits !== bits) ctx.fail(`the reference output is at scale 2^${out.bits}, expected 2^${bits}`);
  const operand = (i: number): ((j: number) => Value) => commonScaleOperand(ctx, i, out.shape, bits, ictx);
  const [x, y] = [operand(1), operand(2)];
  const cmap = broadcastIndex(out.shape, ins[0]!.shape);
  const constCond = ins[0]!.constFloat;
  const cond = ctx.runtime(0);
  if (!constCond && !cond) ctx.fail('the condition has no value');
  if (cond && cond.bits !== 0) ctx.fail(`a runtime condition must be a raw 0/1 tensor (a comparison result), got scale 2^${cond.bits}`);
  const cells: Value[] = [];
  for (let j = 0; j < size(out.shape); j++) {
    if (constCond) cells.push(constCond[cmap[j]!] ? x(j) : y(j));
    else cells.push(select(b, cond!.cells[cmap[j]!]!, x(j), y(j)));
  }
  return [{ shape: out.shape, bits, cells }];
}

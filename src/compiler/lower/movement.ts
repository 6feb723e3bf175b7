/**
 * Movement ops (Flatten, Reshape, Transpose, Squeeze, Slice, Pad, Concat, ... — any op with an index map,
 * OpDef.indexMap): no rows. Each output element is the cell of the input element its map names (a copy of
 * the same cell, reused as is); elements from constant inputs and padding (-1) are cells of the fixed
 * constants column, pinned by the VK. An element whose scale would change (input and output bits differ)
 * is refused rather than silently rescaled.
 */
import type { Cells, LowerCtx } from './context.ts';

/** A movement op: the output cells are input cells (or constants) by the op's index map. */
export function lowerMovement(ctx: LowerCtx): Cells[] {
  const { b, def, node, ins } = ctx;
  if (!def.indexMap) return ctx.fail('no circuit lowering for this op yet');
  const maps = def.indexMap(node, ins.map((i) => i.shape), ins.map((i) => i.constFloat));
  if (!maps) return ctx.fail('index map unavailable for these operands');
  // Index maps point into the concatenation of the inputs' data.
  const offsets: number[] = [];
  let off = 0;
  for (const inp of ins) {
    offsets.push(off);
    off += inp.data.length;
  }
  return maps.map((map, o) => {
    const r = ctx.ref[o]!;
    const cells = Array.from(map, (idx, j) => {
      const want = BigInt(r.data[j]!);
      if (idx < 0) return b.constant(want);
      let k = offsets.length - 1;
      while (offsets[k]! > idx) k--;
      const t = ctx.runtime(k);
      if (!t) return b.constant(want);
      const cell = t.cells[idx - offsets[k]!]!;
      if (cell.value !== want) ctx.fail(`element ${j} changes scale (input at 2^${t.bits}, output at 2^${r.bits}); not lowered yet`);
      return cell;
    });
    return { shape: r.shape, bits: r.bits, cells };
  });
}

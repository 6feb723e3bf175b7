/**
 * Add and Sub (broadcasting): each output element is one dot-product row over the runtime operands, with
 * weights ±2^(common scale − operand scale) lifting both to the reference's common scale (fixed.ts
 * pairBits); constant operands are folded into the row's bias, and an output of constants alone is a
 * constant cell. With committed weights (../weights.ts) a constant operand beside a runtime one at 2^s is
 * the committed advice cells at 2^s, added like a runtime operand.
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { atBits, pairBits } from '../../layers/fixed.ts';
import { broadcastIndex, size } from '../../layers/shape-util.ts';
import type { IntCtx } from '../../layers/types.ts';
import type { Cells, LowerCtx } from './context.ts';

/** Add and Sub: one dot row per output element at the common scale. */
export function lowerAddSub(ctx: LowerCtx): Cells[] {
  const { b, s, W, node, ins } = ctx;
  const out0 = ctx.ref[0]!;
  const ictx: IntCtx = { scaleBits: s, table: () => ctx.fail('no table') };
  const bits = pairBits(ins[0]!, ins[1]!, ictx);
  const sign = [1, node.op === 'Sub' ? -1 : 1];
  const parts = [0, 1].map((i) => {
    const c = ctx.committed(i);
    if (c && (c.bits !== bits || bits !== s)) ctx.fail(`a committed operand needs the other operand at the model scale 2^${s} (common scale 2^${bits})`);
    const t = ctx.runtime(i) ?? c;
    const map = broadcastIndex(out0.shape, ins[i]!.shape);
    if (t) {
      if (t.bits > bits) ctx.fail(`operand ${i} is at scale 2^${t.bits}, above the common scale 2^${bits}`);
      return { map, cells: t.cells, w: sign[i]! * 2 ** (bits - t.bits), data: undefined };
    }
    return { map, cells: undefined, w: sign[i]!, data: atBits(ins[i]!, bits, ictx) };
  });
  const cells: Value[] = [];
  for (let j = 0; j < size(out0.shape); j++) {
    const xv: Value[] = [];
    const wv: number[] = [];
    let bias = 0;
    for (const p of parts) {
      const idx = p.map[j]!;
      if (p.cells) {
        xv.push(p.cells[idx]!);
        wv.push(p.w);
      } else bias += p.w * p.data![idx]!;
    }
    cells.push(xv.length === 0 ? b.constant(bias) : dotProduct(b, xv, wv, bias, { width: W }));
  }
  return [{ shape: out0.shape, bits, cells }];
}

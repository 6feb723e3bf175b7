/**
 * An operand of a two-operand op (compare, Where) at the reference's common scale: raw integers when both
 * operands are raw, else 2^s. A runtime operand already at that scale is its cells; a raw runtime operand is
 * lifted by one `affine` row ×2^s per distinct cell; a constant becomes fixed cells. Broadcast to `outShape`.
 */
import { affine } from '../../circuit/chips/elementwise.ts';
import type { Value } from '../../circuit/builder.ts';
import { atBits } from '../../layers/fixed.ts';
import { broadcastIndex } from '../../layers/shape-util.ts';
import type { IntCtx } from '../../layers/types.ts';
import type { LowerCtx } from './context.ts';

export function commonScaleOperand(ctx: LowerCtx, i: number, outShape: readonly number[], bits: number, ictx: IntCtx): (j: number) => Value {
  const { b, ins } = ctx;
  const map = broadcastIndex([...outShape], ins[i]!.shape);
  const t = ctx.runtime(i);
  if (t) {
    if (t.bits === bits) return (j) => t.cells[map[j]!]!;
    if (t.bits !== 0) ctx.fail(`operand ${i} is at scale 2^${t.bits}, expected 2^${bits}`);
    const up = new Map<Value, Value>();
    return (j) => {
      const v = t.cells[map[j]!]!;
      let u = up.get(v);
      if (!u) up.set(v, (u = affine(b, v, 2 ** bits)));
      return u;
    };
  }
  const data = atBits(ins[i]!, bits, ictx);
  return (j) => b.constant(data[map[j]!]!);
}

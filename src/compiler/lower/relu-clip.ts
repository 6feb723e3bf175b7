/**
 * Relu and Clip / Relu6 on B-bit signed activations, without a 2^B-row table:
 * - Relu: the sign-bit gadget (gadgets.ts reluSigned), the input's scale kept;
 * - Clip: min(max(x, lo), hi) with constant bounds (attributes before opset 11, constant inputs after),
 *   each by a sign-bit comparison (clampCells); an absent bound is no row at all.
 */
import { attrFloat } from '../../layers/attrs.ts';
import { roundHalfUp } from '../../layers/int-math.ts';
import { reluSigned } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';

/** Relu by the sign-bit gadget. */
export function lowerRelu(ctx: LowerCtx): Cells[] {
  const { b, B, T } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('Relu of a constant');
  return [{ shape: ctx.ref[0]!.shape, bits: x.bits, cells: x.cells.map((v) => reluSigned(b, v, B, T)) }];
}

/** Clip / Relu6 with constant bounds. */
export function lowerClip(ctx: LowerCtx): Cells[] {
  const { s, node, ins } = ctx;
  const x = ctx.runtimeAtScale(0, 'the Clip input');
  const bound = (i: number, attr: string, def: number): number => {
    if (node.inputs[i]) {
      const c = ins[i]?.constFloat;
      if (!c) return ctx.fail(`Clip ${attr} must be a constant`);
      return c[0]!;
    }
    return attrFloat(node, attr, def);
  };
  const [lo, hi] = [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
  const S = 2 ** s;
  const qlo = lo === -Infinity ? undefined : roundHalfUp(lo * S);
  const qhi = hi === Infinity ? undefined : roundHalfUp(hi * S);
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells: x.cells.map((v) => ctx.clampCells(v, qlo, qhi)) }];
}

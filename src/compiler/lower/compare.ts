/**
 * Equal / Less / Greater (broadcasting) and Cast, as src/layers defines them. Both compare operands are
 * brought to the reference's common scale (raw integers when both are raw, else 2^s: a raw runtime
 * operand is multiplied by 2^s in an `affine` row, constants become fixed cells), then:
 *   Less(a, c) = [a < c] = σ of a compare row (sign bit of a − c, limbs range-checked, so σ is unique),
 *   Greater(a, c) = [c < a],   Equal(a, c) = 1 − [a < c] − [c < a] (one `affine` row on their sum).
 * Outputs are raw 0/1 integers (bits 0). Cast keeps the cells (the reference keeps the values and scale).
 */
import { affine } from '../../circuit/chips/elementwise.ts';
import type { Value } from '../../circuit/builder.ts';
import { atBits, pairBits } from '../../layers/fixed.ts';
import { size } from '../../layers/shape-util.ts';
import type { IntCtx } from '../../layers/types.ts';
import { lessBit } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';
import { commonScaleOperand } from './common-scale.ts';

export function lowerCompare(ctx: LowerCtx): Cells[] {
  const { b, s, T, node, ins, ref } = ctx;
  const out = ref[0]!;
  const ictx: IntCtx = { scaleBits: s, table: () => ctx.fail('no table') };
  const bits = pairBits(ins[0]!, ins[1]!, ictx);
  const operand = (i: number): ((j: number) => Value) => commonScaleOperand(ctx, i, out.shape, bits, ictx);
  const [x, y] = [operand(0), operand(1)];
  const consts = [0, 1].flatMap((i) => (ctx.runtime(i) ? [] : Array.from(atBits(ins[i]!, bits, ictx))));
  const K = ctx.cmpBits(...consts);
  const cells: Value[] = [];
  for (let j = 0; j < size(out.shape); j++) {
    const [a, c] = [x(j), y(j)];
    switch (node.op) {
      case 'Less':
        cells.push(lessBit(b, a, c, K, T));
        break;
      case 'Greater':
        cells.push(lessBit(b, c, a, K, T));
        break;
      default:
        cells.push(affine(b, ctx.sumOf([lessBit(b, a, c, K, T), lessBit(b, c, a, K, T)]), -1, 1));
    }
  }
  return [{ shape: out.shape, bits: 0, cells }];
}

export function lowerCast(ctx: LowerCtx): Cells[] {
  const x = ctx.runtime(0) ?? ctx.fail('Cast of a constant');
  const out = ctx.ref[0]!;
  if (out.bits !== x.bits) ctx.fail(`the reference changes the scale (2^${x.bits} → 2^${out.bits})`);
  return [{ shape: out.shape, bits: x.bits, cells: x.cells }];
}

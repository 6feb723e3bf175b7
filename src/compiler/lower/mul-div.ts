/**
 * Mul and Div (broadcasting), following src/layers/mul.ts and div.ts element by element:
 * - Mul of two fixed-point operands: the product (runtime × runtime: `product` gate; runtime × constant:
 *   `affine` gate with the quantized constant in the VK), then the rescale chip; a raw-integer operand
 *   (bits 0) multiplies exactly with no rescale.
 * - Div by constant non-zero integers c: rounded division by |c| (divRoundConst), the dividend negated
 *   first (affine, w = −1) when c < 0; by other constants: times round(2^s / c), then rescale; by a
 *   runtime tensor: the divvar chip (sign bit, |d|, quotient and remainder range-checked on both sides).
 * - Neg: one `affine` row (w = −1) per element, the scale kept.
 */
import { affine, product } from '../../circuit/chips/elementwise.ts';
import { divRoundVar } from '../../circuit/chips/div-var.ts';
import type { Value } from '../../circuit/builder.ts';
import { asFixed } from '../../layers/fixed.ts';
import { roundHalfUp } from '../../layers/int-math.ts';
import { broadcastIndex, size } from '../../layers/shape-util.ts';
import type { IntCtx, OpInput } from '../../layers/types.ts';
import { divRoundConst } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';

/** One operand per output element: a cell, or a public integer. */
type Elem = { cell: Value; k?: undefined } | { cell?: undefined; k: number };

/** Operand i broadcast to the output, at scale 2^s ('fixed') or as raw integers ('raw'), as the reference reads it. */
function operand(ctx: LowerCtx, i: number, mode: 'fixed' | 'raw'): (j: number) => Elem {
  const { ins, ref, s } = ctx;
  const map = broadcastIndex(ref[0]!.shape, ins[i]!.shape);
  const t = ctx.runtime(i);
  if (t) {
    const want = mode === 'raw' ? 0 : s;
    if (t.bits !== want) ctx.fail(`operand ${i} is at scale 2^${t.bits}, expected 2^${want}`);
    return (j) => ({ cell: t.cells[map[j]!]! });
  }
  const ictx: IntCtx = { scaleBits: s, table: () => ctx.fail('no table') };
  const data = mode === 'raw' ? (ins[i]!.constFloat ?? ins[i]!.data) : asFixed(ins[i]!, ictx);
  return (j) => ({ k: data[map[j]!]! });
}

const isRaw = (x: OpInput): boolean => x.bits === 0 && (!x.constFloat || x.constFloat.every(Number.isInteger));

export function lowerMul(ctx: LowerCtx): Cells[] {
  const { b, ref } = ctx;
  const out = ref[0]!;
  const raw = [isRaw(ctx.ins[0]!), isRaw(ctx.ins[1]!)];
  const rescaled = !raw[0] && !raw[1];
  const [ea, eb] = [0, 1].map((i) => operand(ctx, i, raw[i] ? 'raw' : 'fixed')) as [(j: number) => Elem, (j: number) => Elem];
  const cells: Value[] = [];
  for (let j = 0; j < size(out.shape); j++) {
    const [x, y] = [ea(j), eb(j)];
    let p: Value;
    if (x.cell && y.cell) p = product(b, x.cell, y.cell);
    else if (x.cell) p = affine(b, x.cell, y.k!);
    else if (y.cell) p = affine(b, y.cell, x.k!);
    else {
      cells.push(b.constant(out.data[j]!));
      continue;
    }
    cells.push(rescaled ? ctx.rescaleOut(p) : p);
  }
  return [{ shape: out.shape, bits: out.bits, cells }];
}

export function lowerDiv(ctx: LowerCtx): Cells[] {
  const { b, ref, s, B, T } = ctx;
  const out = ref[0]!;
  const S = 2 ** s;
  const ea = operand(ctx, 0, 'fixed');
  const c = ctx.ins[1]!.constFloat;
  const num = (e: Elem): Value => e.cell ?? b.constant(e.k);
  const cells: Value[] = [];
  if (c && c.every((v) => Number.isInteger(v) && v !== 0)) {
    const map = broadcastIndex(out.shape, ctx.ins[1]!.shape);
    for (let j = 0; j < size(out.shape); j++) {
      const q = c[map[j]!]!;
      const a = num(ea(j));
      cells.push(divRoundConst(b, q > 0 ? a : affine(b, a, -1), Math.abs(q), ctx.cmpBits(), T));
    }
  } else if (c) {
    const map = broadcastIndex(out.shape, ctx.ins[1]!.shape);
    for (let j = 0; j < size(out.shape); j++) {
      const inv = roundHalfUp(S / c[map[j]!]!);
      const x = ea(j);
      cells.push(x.cell ? ctx.rescaleOut(affine(b, x.cell, inv)) : b.constant(out.data[j]!));
    }
  } else {
    const ed = operand(ctx, 1, 'fixed');
    for (let j = 0; j < size(out.shape); j++) {
      cells.push(divRoundVar(b, num(ea(j)), num(ed(j)), S, { divisorBits: ctx.cmpBits(), quotientBits: B, tableBits: T }));
    }
  }
  return [{ shape: out.shape, bits: s, cells }];
}

export function lowerNeg(ctx: LowerCtx): Cells[] {
  const x = ctx.runtime(0) ?? ctx.fail('Neg of a constant');
  return [{ shape: ctx.ref[0]!.shape, bits: x.bits, cells: x.cells.map((v) => affine(ctx.b, v, -1)) }];
}

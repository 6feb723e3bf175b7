/** Converting op inputs to the model scale in integer evaluation. */
import { quantize } from './int-math.ts';
import type { IntCtx, OpInput } from './types.ts';

/**
 * Data of `inp` at the model scale s: float constants are quantized at s from their float value, raw
 * integers (bits 0) are multiplied by 2^s (exact), fixed-point data is returned as is.
 */
export function asFixed(inp: OpInput, ctx: IntCtx): Float64Array {
  const s = ctx.scaleBits;
  if (inp.constFloat) return quantize(inp.constFloat, s);
  if (inp.bits === s) return inp.data;
  const f = 2 ** (s - inp.bits);
  const out = new Float64Array(inp.data.length);
  for (let i = 0; i < out.length; i++) out[i] = inp.data[i]! * f;
  return out;
}

/** Common scale for an elementwise pair: raw integers stay raw when both are raw, else the model scale. */
export function pairBits(a: OpInput, b: OpInput, ctx: IntCtx): number {
  const raw = (x: OpInput): boolean => x.bits === 0 && (!x.constFloat || x.constFloat.every(Number.isInteger));
  return raw(a) && raw(b) ? 0 : ctx.scaleBits;
}

/** Data of `inp` at `bits` (0 or s). */
export function atBits(inp: OpInput, bits: number, ctx: IntCtx): Float64Array {
  if (bits === ctx.scaleBits) return asFixed(inp, ctx);
  return inp.data;
}

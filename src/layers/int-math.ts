/**
 * The integer primitives every op's integer semantics is written in. Each one is something the circuit has
 * a gadget for: rescale by 2^s with rounding (quotient and remainder range-checked), division by a
 * positive integer with rounding, and constant quantization (done once, outside the circuit).
 *
 * Rounding is round half up everywhere (zkml's rdiv): q = floor((2a + b) / (2b)), remainder
 * r = (2a + b) − 2b·q with 0 ≤ r < 2b.
 */
import { IntegerOverflowError } from '../graph/errors.ts';

/** Largest magnitude an integer tensor may hold: products of two such stay exact only below 2^53. */
export const INT_LIMIT = 2 ** 52;

/** Fixed-point value used for ±∞ in constants (attention masks): far below any table domain, still exact. */
export const INF_Q = 2 ** 40;

/** round(x) with ties toward +∞, on reals (used to quantize constants and to fill tables). */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** floor((2a + b) / (2b)) for an integer a and an integer b > 0, exact for |2a + b| < 2^53. */
export function divRound(a: number, b: number): number {
  const n = 2 * a + b;
  const d = 2 * b;
  let q = Math.floor(n / d);
  // The float quotient can be off by one next to an integer; fix it with the exact remainder.
  const r = n - q * d;
  if (r < 0) q -= 1;
  else if (r >= d) q += 1;
  return q;
}

/** rdiv(a, 2^s): rescale a product at scale 2s back to scale s. Exact (division by a power of two). */
export function rescale(a: number, scaleBits: number): number {
  if (scaleBits === 0) return a;
  return Math.floor((a + 2 ** (scaleBits - 1)) / 2 ** scaleBits);
}

/** In-place rescale of a whole buffer. */
export function rescaleAll(data: Float64Array, scaleBits: number): Float64Array {
  if (scaleBits === 0) return data;
  const half = 2 ** (scaleBits - 1);
  const S = 2 ** scaleBits;
  for (let i = 0; i < data.length; i++) data[i] = Math.floor((data[i]! + half) / S);
  return data;
}

/** Quantizes float constants at scale 2^bits: round half up; ±∞ map to ±INF_Q. */
export function quantize(values: ArrayLike<number>, bits: number): Float64Array {
  const S = 2 ** bits;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // (roundHalfUp written out: a model's weights are quantized at every proof, often with V8's optimizer off)
    out[i] = v === Infinity ? INF_Q : v === -Infinity ? -INF_Q : Math.floor(v * S + 0.5);
  }
  return out;
}

/** Throws IntegerOverflowError if any value reaches 2^52 in magnitude (or is not an integer). */
export function assertSafe(data: Float64Array, node: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v < INT_LIMIT && v > -INT_LIMIT) || !Number.isInteger(v)) throw new IntegerOverflowError(node, v);
  }
}

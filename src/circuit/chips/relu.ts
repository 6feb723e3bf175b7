/**
 * ReLU: y = max(x, 0) for x in the B-bit signed activation domain [−2^(B−1), 2^(B−1)), as a lookup of
 * (x, y) in the graph of ReLU over that domain (see table-lookup.ts for the soundness argument).
 *
 * Why a table rather than a sign bit: a sign-bit gadget (y = (1−σ)·x, σ boolean, plus range checks of y
 * and of y − x) needs the same 2^B range table plus a gate and two lookups per element; the graph lookup is
 * one lookup per element, also range-checks x, and reuses the generic chip.
 */
import type { CircuitBuilder, Value } from '../builder.ts';
import { tableLookup } from './table-lookup.ts';

export function relu(b: CircuitBuilder, x: Value, actBits: number): Value {
  const half = 2 ** (actBits - 1);
  return tableLookup(b, x, { name: `relu${actBits}`, lo: -half, hi: half, f: (v) => Math.max(v, 0) });
}

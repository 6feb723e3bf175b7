/**
 * Shared range tables: `range{bits}` holds 0..2^bits−1 in one fixed column. Chips look values (or values
 * plus an offset, for signed ranges) up in it. One table per width, shared by every chip that needs it.
 */
import { CircuitError } from '../../errors.ts';
import type { CircuitBuilder } from '../builder.ts';

/** Largest table width built directly; wider checks need limb decomposition (not implemented yet). */
export const MAX_RANGE_BITS = 16;

export function rangeTable(b: CircuitBuilder, bits: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_RANGE_BITS)
    throw new CircuitError(`range table of ${bits} bits: supported widths are 1..${MAX_RANGE_BITS} (limb decomposition is not implemented)`);
  return b.table(`range${bits}`, () => Array.from({ length: 2 ** bits }, (_, i) => [BigInt(i)]));
}

/** Signed activation domain [−2^(B−1), 2^(B−1)) as bigints. */
export function signedBounds(bits: number): { lo: bigint; hi: bigint } {
  const half = 1n << BigInt(bits - 1);
  return { lo: -half, hi: half };
}

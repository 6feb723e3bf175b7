/**
 * Shared range tables: `range{bits}` holds 0..2^bits−1 in one fixed column. Chips look values (or values
 * plus an offset, for signed ranges) up in it. One table per width, shared by every chip that needs it.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

/** Largest table width built directly; wider checks use limb decomposition ({@link rangeCheck}). */
export const MAX_RANGE_BITS = 16;

/** One source object per width, so the builder trusts repeated registrations without rebuilding the rows. */
const RANGE_SOURCES = Array.from({ length: MAX_RANGE_BITS + 1 }, (_, bits) => ({ bits }));

export function rangeTable(b: CircuitBuilder, bits: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_RANGE_BITS)
    throw new CircuitError(`range table of ${bits} bits: supported widths are 1..${MAX_RANGE_BITS} (use rangeCheck for wider ranges)`);
  return b.table(`range${bits}`, () => Array.from({ length: 2 ** bits }, (_, i) => [BigInt(i)]), RANGE_SOURCES[bits]);
}

/** Signed activation domain [−2^(B−1), 2^(B−1)) as bigints. */
export function signedBounds(bits: number): { lo: bigint; hi: bigint } {
  const half = 1n << BigInt(bits - 1);
  return { lo: -half, hi: half };
}

/**
 * Range check by limbs: proves v + offset ∈ [0, 2^bits) for a cell v, with tables of at most 2^limbBits
 * rows. One row, gate `range/{bits}/{limbBits}/{offset}` on advice v | l_0 .. l_{L−1} (L = ⌈bits/limbBits⌉):
 *   sel·(v + offset − Σ_i l_i·2^(limbBits·i)) = 0
 * each l_i looked up in range{limbBits}, the top limb in range{bits − limbBits·(L−1)}; v is copied in.
 *
 * Soundness: the limbs pin an integer in [0, 2^bits) (bits ≤ 200 ≪ log r, so no wrap-around), and the
 * gate makes v + offset equal to it in the field.
 */
export function rangeCheck(b: CircuitBuilder, v: Value, bits: number, opts: { offset?: bigint; limbBits?: number } = {}): void {
  const offset = opts.offset ?? 0n;
  const limbBits = opts.limbBits ?? MAX_RANGE_BITS;
  if (!Number.isInteger(bits) || bits < 1 || bits > 200) throw new CircuitError(`range check of ${bits} bits is not supported`);
  const L = Math.ceil(bits / limbBits);
  const topBits = bits - limbBits * (L - 1);
  const kind = `range/${bits}/${limbBits}/${offset}`;
  const sel = b.selector(kind);
  const cv = b.advice(0);
  const limbCols = Array.from({ length: L }, (_, i) => b.advice(1 + i));
  const limbTable = rangeTable(b, limbBits);
  const topTable = rangeTable(b, topBits);
  b.gate(kind, () => {
    const sum = add(...limbCols.map((c, i) => mul(constant(1n << BigInt(limbBits * i)), advice(c.index))));
    return [mul(fixed(sel.index), sub(add(advice(cv.index), constant(offset)), sum))];
  });
  limbCols.forEach((c, i) =>
    b.lookup(`${kind}: limb ${i}`, i === L - 1 ? topTable : limbTable, fixed(sel.index), () => [advice(c.index)]),
  );
  const x = v.value + offset;
  if (x < 0n || x >= 1n << BigInt(bits))
    throw new CircuitError(`value ${v.value}${offset ? ` + ${offset}` : ''} is outside [0, 2^${bits})`);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(cv, row, v);
  const mask = (1n << BigInt(limbBits)) - 1n;
  limbCols.forEach((c, i) => b.assign(c, row, (x >> BigInt(limbBits * i)) & mask));
}

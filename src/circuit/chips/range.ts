/**
 * Range tables. `range{bits}` holds 0..2^bits−1 in one fixed column, for chips that look a value (or a value
 * plus an offset, for signed ranges) up directly; one table per width, shared by every chip that needs it.
 * Limb decompositions look their limbs up in one table of every limb width instead ({@link limbLookup}).
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub, type Column, type Expr } from '../../plonk/expression.ts';
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

/** Name of the table that holds every limb range, each under its width as a tag. */
export const LIMB_RANGES = 'range-limbs';

/**
 * The table of (w, v) for v ∈ [0, 2^w), one section per limb width w in use: a decomposition into T-bit
 * limbs checks its full limbs against section T and its (usually narrower) top limb against its own width's
 * section. One table for every width gives a circuit one logUp argument for all its limbs — one
 * multiplicity column, and running sums filled to the degree bound — where a table per width had one of
 * each per width.
 * Soundness: the lookup input is the tuple (w, l), compressed with the verifier's random θ, so l must be a
 * v of w's own section: v < 2^w. Sections of distinct widths below T add up to fewer than 2^T rows, so
 * the table is under twice the largest range.
 */
export function limbRangeTable(b: CircuitBuilder, bits: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_RANGE_BITS)
    throw new CircuitError(`range table of ${bits} bits: supported widths are 1..${MAX_RANGE_BITS} (use rangeCheck for wider ranges)`);
  return b.tableSection(LIMB_RANGES, 2, String(bits), () => Array.from({ length: 2 ** bits }, (_, i) => [BigInt(bits), BigInt(i)]));
}

/**
 * Looks up the cell in `column` (current row, where `selector` is 1) in [0, 2^bits), as (bits, l) in the
 * limb-range table. With a plain fixed selector it joins the column's one shared input (builder
 * taggedLookup: every gadget's limbs in that column, each under its own width as the tag).
 */
export function limbLookup(b: CircuitBuilder, name: string, column: Column, bits: number, selector: Expr): void {
  const table = limbRangeTable(b, bits);
  if (selector.kind === 'query' && selector.column.type === 'fixed' && selector.rotation === 0) b.taggedLookup(name, table, BigInt(bits), column, selector.column);
  else b.lookup(name, table, selector, () => [constant(BigInt(bits)), advice(column.index)]);
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
 * each l_i looked up in [0, 2^limbBits), the top limb in [0, 2^(bits − limbBits·(L−1))) ({@link limbLookup}); v is copied in.
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
  b.gate(kind, () => {
    const sum = add(...limbCols.map((c, i) => mul(constant(1n << BigInt(limbBits * i)), advice(c.index))));
    return [mul(fixed(sel.index), sub(add(advice(cv.index), constant(offset)), sum))];
  });
  limbCols.forEach((c, i) => limbLookup(b, `${kind}: limb ${i}`, c, i === L - 1 ? topBits : limbBits, fixed(sel.index)));
  const x = v.value + offset;
  if (x < 0n || x >= 1n << BigInt(bits))
    throw new CircuitError(`value ${v.value}${offset ? ` + ${offset}` : ''} is outside [0, 2^${bits})`);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(cv, row, v);
  const mask = (1n << BigInt(limbBits)) - 1n;
  limbCols.forEach((c, i) => b.assign(c, row, (x >> BigInt(limbBits * i)) & mask));
}

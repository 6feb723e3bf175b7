/**
 * Rescale by 2^s with round half up (the reference rdiv(a, 2^s) = ⌊(2a + 2^s) / 2^(s+1)⌋).
 *
 * One row per value, gate `rescale/s{s}/B{B}` on advice a | q | r:
 *   sel·(2a + 2^s − 2^(s+1)·q − r) = 0
 * with two logUp lookups on the same selector:
 *   r ∈ [0, 2^(s+1))              (table range{s+1})
 *   q + 2^(B−1) ∈ [0, 2^B)        (table range{B}: q in the signed activation range, both sides)
 * a is copied from its source. A range wider than `maxTableBits` (default 16) is checked instead by limb
 * decomposition ({@link rangeCheck}, one extra row with r or q copied in).
 *
 * Soundness: 2^(s+1)·q + r is injective on the checked ranges and spans fewer than 2^(s+B+1) ≪ r_field
 * integers, so for a given field element a there is at most one (q, r) satisfying the gate; for an integer
 * a whose true rdiv lies in the activation range it is the reference (q, r). Without the q range check a
 * cheating prover could pick any r' in range and q' = q + (r − r')/2^(s+1) mod p (a huge field element) —
 * the one-sided hole; the test suite exercises exactly that tamper.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { MAX_RANGE_BITS, rangeCheck, rangeTable, signedBounds } from './range.ts';

/** Floor division of bigints (toward −∞) for d > 0. */
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

export interface RescaleCells {
  readonly q: Value;
  readonly r: Value;
  readonly a: Value;
}

/** Rescales `a` by 2^s into the B-bit signed activation range; returns the quotient cell (and r, a copy). */
export function rescaleCells(b: CircuitBuilder, a: Value, s: number, actBits: number, opts: RescaleOptions = {}): RescaleCells {
  if (!Number.isInteger(s) || s < 0) throw new CircuitError(`rescale by 2^${s}: s must be a non-negative integer`);
  if (!Number.isInteger(actBits) || actBits < 1) throw new CircuitError(`activation range of ${actBits} bits`);
  const maxT = opts.maxTableBits ?? MAX_RANGE_BITS;
  const rDirect = s + 1 <= maxT;
  const qDirect = actBits <= maxT;
  const kind = `rescale/s${s}/B${actBits}` + (rDirect && qDirect ? '' : `/limbs${maxT}`);
  const sel = b.selector(kind);
  const [ca, cq, cr] = [b.advice(0), b.advice(1), b.advice(2)];
  const S = 1n << BigInt(s);
  const half = 1n << BigInt(actBits - 1);
  b.gate(kind, () => [
    mul(fixed(sel.index), sub(add(mul(constant(2n), advice(ca.index)), constant(S)), add(mul(constant(2n * S), advice(cq.index)), advice(cr.index)))),
  ]);
  if (rDirect) b.lookup(`${kind}: remainder in [0, 2^${s + 1})`, rangeTable(b, s + 1), fixed(sel.index), () => [advice(cr.index)]);
  if (qDirect)
    b.lookup(`${kind}: quotient in [-2^${actBits - 1}, 2^${actBits - 1})`, rangeTable(b, actBits), fixed(sel.index), () => [
      add(advice(cq.index), constant(half)),
    ]);

  const n = 2n * a.value + S;
  const q = floorDiv(n, 2n * S);
  const r = n - 2n * S * q;
  const { lo, hi } = signedBounds(actBits);
  if (q < lo || q >= hi)
    throw new CircuitError(`rescale of ${a.value} by 2^${s} gives ${q}, outside the ${actBits}-bit activation range [${lo}, ${hi})`);
  const row = b.region(1);
  b.enable(kind, row);
  const ac = b.assignCopy(ca, row, a);
  const out = { a: ac, q: b.assign(cq, row, q), r: b.assign(cr, row, r) };
  if (!rDirect) rangeCheck(b, out.r, s + 1, { limbBits: maxT });
  if (!qDirect) rangeCheck(b, out.q, actBits, { offset: half, limbBits: maxT });
  return out;
}

export interface RescaleOptions {
  /** Widest range table to use directly (default 16); wider ranges are checked by limbs of this width. */
  readonly maxTableBits?: number;
}

export function rescale(b: CircuitBuilder, a: Value, s: number, actBits: number, opts: RescaleOptions = {}): Value {
  return rescaleCells(b, a, s, actBits, opts).q;
}

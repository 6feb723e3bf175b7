/**
 * The values one column of a circuit under construction holds, by row. Quantized witnesses, weights and
 * selectors are integers well inside ±2^53: they are kept in a Float64Array (8 bytes a cell, no object per
 * cell); anything else (a field element, a larger integer) goes to a side map. A Map<number, bigint> per
 * column cost about ten times as much per cell and was most of a large model's layout memory.
 * Rows never assigned read as 0.
 */
import { FR_MODULUS } from '../scalar/fr.ts';
import { frVecAlloc, frVecFromInts, frVecSet, type FrVec } from '../field/frvec.ts';

const MAX_EXACT = 2n ** 53n - 1n;

export class ColumnValues {
  private vals = new Float64Array(16);
  private big: Map<number, bigint> | null = null;
  private len = 0;

  /** 1 + the highest row ever assigned (0 when none). */
  get length(): number {
    return this.len;
  }

  set(row: number, v: bigint): void {
    if (row >= this.vals.length) {
      let cap = this.vals.length * 2;
      while (cap <= row) cap *= 2;
      const next = new Float64Array(cap);
      next.set(this.vals);
      this.vals = next;
    }
    if (v >= -MAX_EXACT && v <= MAX_EXACT) {
      this.vals[row] = Number(v);
      this.big?.delete(row);
    } else {
      this.vals[row] = 0;
      (this.big ??= new Map()).set(row, v);
    }
    if (row >= this.len) this.len = row + 1;
  }

  get(row: number): bigint {
    if (row >= this.len) return 0n;
    const b = this.big?.get(row);
    return b ?? BigInt(this.vals[row]!);
  }

  /** Whether some row holds a nonzero value in both columns (e.g. two selectors enabled on one row). */
  sharesRowWith(other: ColumnValues): boolean {
    const n = Math.min(this.len, other.len);
    const nonzero = (c: ColumnValues, r: number) => c.vals[r] !== 0 || (c.big?.has(r) ?? false);
    for (let r = 0; r < n; r++) if (nonzero(this, r) && nonzero(other, r)) return true;
    return false;
  }

  /** A copy whose rows [from, to) all hold `v` (table padding). */
  paddedCopy(from: number, to: number, v: bigint): ColumnValues {
    const c = new ColumnValues();
    c.vals = this.vals.slice(0, Math.max(this.len, to, 1));
    c.len = this.len;
    if (this.big) c.big = new Map(this.big);
    for (let r = from; r < to; r++) c.set(r, v);
    return c;
  }

  /** Field elements of rows 0..length−1 (negative integers as r − |v|). */
  toFrVec(): FrVec {
    if (this.len === 0) return frVecAlloc(0);
    const out = frVecFromInts(this.vals.subarray(0, this.len));
    if (this.big) for (const [r, v] of this.big) frVecSet(out, r, ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
    return out;
  }
}

/**
 * Limb decomposition shared by single-row range-checked gadgets: a value v ∈ [0, 2^bits) is written as
 * Σ l_i·2^(T·i) with L = ⌈bits/T⌉ limbs, each looked up in [0, 2^T) (the top one in [0, 2^(bits − T·(L−1))); range.ts limbLookup),
 * so the sum is an integer in [0, 2^bits) with no wrap-around (bits ≤ 120 ≪ log r).
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, constant, type Expr, mul } from '../../plonk/expression.ts';
import type { Column } from '../../plonk/expression.ts';
import type { CircuitBuilder } from '../builder.ts';
import { limbLookup } from './range.ts';

export interface LimbLayout {
  /** Limb count. */
  L: number;
  /** Bits of the top limb. */
  top: number;
}

export function limbLayout(bits: number, T: number): LimbLayout {
  if (!Number.isInteger(bits) || bits < 1 || bits > 120) throw new CircuitError(`range of ${bits} bits is not supported`);
  const L = Math.ceil(bits / T);
  return { L, top: bits - T * (L - 1) };
}

/** The L limbs of T bits of a non-negative x (the caller has checked x < 2^bits). */
export function limbsOf(x: bigint, L: number, T: number): bigint[] {
  const mask = (1n << BigInt(T)) - 1n;
  return Array.from({ length: L }, (_, i) => (x >> BigInt(T * i)) & mask);
}

/** A group of limb columns of one row: the recomposed sum, the lookups, and the assignment. */
export class LimbGroup {
  readonly cols: Column[];
  readonly lay: LimbLayout;
  constructor(
    private readonly b: CircuitBuilder,
    readonly what: string,
    readonly bits: number,
    private readonly T: number,
    firstCol: number,
  ) {
    this.lay = limbLayout(bits, T);
    this.cols = Array.from({ length: this.lay.L }, (_, i) => b.advice(firstCol + i));
  }

  /** Σ l_i·2^(T·i) as an expression on the current row. */
  sum(): Expr {
    return add(...this.cols.map((c, i) => mul(constant(1n << BigInt(this.T * i)), advice(c.index))));
  }

  /** Registers one range lookup per limb column on `selector` (lookup names start with `kind`). */
  lookups(kind: string, selector: Expr): void {
    this.cols.forEach((c, i) => limbLookup(this.b, `${kind}: ${this.what} limb ${i}`, c, i === this.lay.L - 1 ? this.lay.top : this.T, selector));
  }

  /** Assigns the limbs of x on `row`; throws when x ∉ [0, 2^bits) (the row would be unprovable). */
  assign(row: number, x: bigint, context: string): void {
    if (x < 0n || x >= 1n << BigInt(this.bits)) throw new CircuitError(`${context}: ${this.what} = ${x} is outside [0, 2^${this.bits})`);
    limbsOf(x, this.lay.L, this.T).forEach((l, i) => this.b.assign(this.cols[i]!, row, l));
  }

  /** The column after the last limb. */
  get end(): number {
    return this.cols[this.cols.length - 1]!.index + 1;
  }
}

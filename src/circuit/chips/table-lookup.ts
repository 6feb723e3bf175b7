/**
 * Elementwise function by table lookup: y = f(x) for x in a bounded integer domain [lo, hi).
 *
 * One row per element, advice x | y, lookup `{name}: (x, f(x))` into the two-column table of all
 * (x, f(x)), x ∈ [lo, hi), under the selector `lookup:{name}`; x is copied from its source.
 *
 * Soundness: the table is the graph of f on the domain (padding rows repeat the first tuple, so no other
 * tuple is in it); the lookup forces (x, y) to be a row, hence x is in the domain and y = f(x). The tuple
 * is compressed with a verifier challenge θ, sound except with probability ≈ (table size)/|F|.
 * Out-of-domain inputs are rejected at witness time (they would be unprovable anyway).
 */
import { CircuitError } from '../../errors.ts';
import { advice, fixed } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

export interface FnTable {
  /**
   * The table's name; the table and its lookup are shared by every use with this name, so it must
   * identify the rows (the builder refuses a name reused with other rows). Pass the same FnTable object
   * for every cell of one function so its rows are built once.
   */
  readonly name: string;
  /** Domain [lo, hi) of integers. */
  readonly lo: number;
  readonly hi: number;
  readonly f: (x: number) => number;
  /**
   * Leave out the x where f is not finite (e.g. x^0.5 below 0): such an x has no row, so it cannot be
   * proved. Default false: every x in the domain must have a finite value.
   */
  readonly partial?: boolean;
}

export function tableLookup(b: CircuitBuilder, x: Value, t: FnTable): Value {
  const kind = `lookup:${t.name}`;
  const sel = b.selector(kind);
  const [cx, cy] = [b.advice(0), b.advice(1)];
  const table = b.table(`fn:${t.name}`, () => {
    if (!(Number.isSafeInteger(t.lo) && Number.isSafeInteger(t.hi) && t.hi > t.lo))
      throw new CircuitError(`table '${t.name}': domain [${t.lo}, ${t.hi}) is empty or not integer`);
    const rows: bigint[][] = [];
    for (let v = t.lo; v < t.hi; v++) {
      const y = t.f(v);
      if (t.partial && !Number.isFinite(y)) continue;
      rows.push([BigInt(v), BigInt(y)]);
    }
    return rows;
  }, t);
  b.lookup(`${t.name}: (x, f(x))`, table, fixed(sel.index), () => [advice(cx.index), advice(cy.index)]);
  if (x.value < BigInt(t.lo) || x.value >= BigInt(t.hi))
    throw new CircuitError(`table '${t.name}': input ${x.value} is outside its domain [${t.lo}, ${t.hi})`);
  const y = t.f(Number(x.value));
  if (!Number.isFinite(y)) throw new CircuitError(`table '${t.name}': no value at ${x.value}`);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(cx, row, x);
  return b.assign(cy, row, y);
}

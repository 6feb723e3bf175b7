/**
 * Underconstrained-cell finder for small circuits: perturbs each assigned advice cell (value+1, then a
 * random value) and reruns the MockProver. A cell whose change no gate, lookup or copy constraint notices
 * is not pinned down by the constraints — another witness with the same public inputs exists.
 *
 * Cost is one full mock run per perturbation, so keep it to small k (tests, layouter unit checks).
 */
import { frAdd, frFrom } from '../field/fr.ts';
import type { ConstraintSystem } from '../plonk/cs.ts';
import { type Column, type Expr, type ExprAlgebra, evaluate, forEachQuery } from '../plonk/expression.ts';
import { type Assignment, type MockProveOptions, type PreparedAssignment, mockProvePrepared, prepareAssignment } from './mock-prover.ts';

export interface UnderconstrainedCell {
  readonly column: Column;
  readonly row: number;
  /** The honest value and the changed value the constraints accepted. */
  readonly original: bigint;
  readonly accepted: bigint;
}

export interface FindUnderconstrainedOptions {
  /** Advice cells to try. Default: every advice cell (row < u) that holds a nonzero value, takes part in a
   * copy constraint, or is read by a gate polynomial / lookup on a row where it is enabled (a gate is enabled
   * on a row when its value there depends on advice at all, i.e. no fixed selector zeroes it). */
  readonly cells?: readonly { readonly column: Column; readonly row: number }[];
  /** Random replacement values tried per cell besides value+1 (default 1). */
  readonly randomTries?: number;
  /** Forwarded to the MockProver (e.g. checkBlindingRows). */
  readonly mock?: MockProveOptions;
}

function randomFr(): bigint {
  const b = crypto.getRandomValues(new Uint8Array(40));
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return frFrom(v);
}

/**
 * Returns the advice cells whose value can change without any constraint noticing. Throws when the
 * honest assignment itself fails (fix that first: mockProve says where).
 */
export function findUnderconstrainedCells(
  cs: ConstraintSystem,
  k: number,
  assignment: Assignment,
  opts: FindUnderconstrainedOptions = {},
): UnderconstrainedCell[] {
  const p = prepareAssignment(cs, k, assignment);
  const mockOpts: MockProveOptions = { ...opts.mock, maxFailures: 1 };
  if (!mockProvePrepared(cs, p, mockOpts).ok)
    throw new Error('findUnderconstrainedCells: the honest assignment fails mockProve; fix it first');

  const cells = (opts.cells ?? defaultCells(cs, p)).filter((c) => c.column.type === 'advice' && c.row >= 0 && c.row < p.u);

  const tries = opts.randomTries ?? 1;
  const found: UnderconstrainedCell[] = [];
  for (const { column, row } of cells) {
    const col = p.advice[column.index]!;
    const original = col[row]!;
    const candidates = [frAdd(original, 1n)];
    for (let t = 0; t < tries; t++) candidates.push(randomFr());
    for (const v of candidates) {
      if (v === original) continue;
      col[row] = v;
      const ok = mockProvePrepared(cs, p, mockOpts).ok;
      col[row] = original;
      if (ok) {
        found.push({ column, row, original, accepted: v });
        break;
      }
    }
  }
  return found;
}

/** Advice cells that are nonzero, copied, or read by an enabled gate/lookup (see FindUnderconstrainedOptions.cells). */
function defaultCells(cs: ConstraintSystem, p: PreparedAssignment): { column: Column; row: number }[] {
  const { n, u } = p;
  const used = p.advice.map(() => new Uint8Array(u));
  const mark = (index: number, row: number) => {
    if (row >= 0 && row < u) used[index]![row] = 1;
  };
  p.advice.forEach((col, index) => {
    for (let i = 0; i < u; i++) if (col[i] !== 0n) mark(index, i);
  });
  for (const cp of p.copies) for (const c of [cp.a, cp.b]) if (c.column.type === 'advice') mark(c.column.index, c.row);
  // Evaluate with every advice cell unknown (null): a result that stays unknown means the row is enabled.
  let row = 0;
  const wrap = (i: number) => ((i % n) + n) % n;
  const alg: ExprAlgebra<bigint | null> = {
    constant: (v) => v,
    query: (c, rot) => (c.type === 'advice' ? null : c.type === 'fixed' ? p.fixed[c.index]![wrap(row + rot)]! : p.instance[c.index]![wrap(row + rot)]!),
    challenge: () => null,
    add: (a, b) => (a === null || b === null ? null : a + b),
    mul: (a, b) => (a === 0n || b === 0n ? 0n : a === null || b === null ? null : a * b),
    neg: (a) => (a === null ? null : -a),
  };
  const markReads = (e: Expr) =>
    forEachQuery(e, (c, rot) => {
      if (c.type === 'advice') mark(c.index, row + rot);
    });
  for (const g of cs.gates)
    for (const poly of g.polys)
      for (row = 0; row < u; row++) if (evaluate(poly, alg) === null) markReads(poly);
  for (const l of cs.lookups)
    for (row = 0; row < u; row++) if (evaluate(l.selector, alg) !== 0n) l.inputs.forEach(markReads);
  const out: { column: Column; row: number }[] = [];
  used.forEach((rows, index) => {
    for (let i = 0; i < u; i++) if (rows[i]) out.push({ column: { type: 'advice', index }, row: i });
  });
  return out;
}

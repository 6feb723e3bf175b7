/**
 * The advice cells worth perturbing: those that hold a nonzero value, take part in a copy constraint, or
 * are read by a gate or lookup on a row where it is enabled. A gate is enabled on a row when its value
 * there depends on advice at all, i.e. no fixed selector zeroes it; unused zero cells (padding, blinding
 * neighbours) are left out since nothing could ever read them.
 */
import type { ConstraintSystem } from '../../plonk/cs.ts';
import { type Column, type Expr, type ExprAlgebra, evaluate, forEachQuery } from '../../plonk/expression.ts';
import type { Cell } from '../../plonk/permutation/keygen.ts';
import type { PreparedAssignment } from '../mock-prover.ts';

export function usedAdviceCells(cs: ConstraintSystem, p: PreparedAssignment): Cell[] {
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
  const out: Cell[] = [];
  used.forEach((rows, index) => {
    const column: Column = { type: 'advice', index };
    for (let i = 0; i < u; i++) if (rows[i]) out.push({ column, row: i });
  });
  return out;
}

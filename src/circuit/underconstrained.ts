/**
 * Under-constrained-cell finders for small circuits (tests, layouter checks).
 *
 * - {@link findFreedoms} (underconstrained/finder.ts): moves whole copy classes, alone and in solved pairs,
 *   including public values; the finder to use for new checks.
 * - {@link findUnderconstrainedCells}: the single-cell check — each used advice cell that is not copied
 *   anywhere is set to v ± 1, 0, 1, −1 and a random value with everything else unchanged. A copied cell is
 *   skipped: changing it alone always breaks its copy. Kept for callers that want exactly that question.
 *
 * Both re-evaluate only the constraint rows that read a changed cell and confirm every report with a full
 * MockProver run, so they stay cheap up to k ≈ 10.
 */
import type { ConstraintSystem } from '../plonk/cs.ts';
import type { Column } from '../plonk/expression.ts';
import { type Assignment, type MockProveOptions, prepareAssignment } from './mock-prover.ts';
import { CopyClasses } from './underconstrained/cells.ts';
import { LocalChecker } from './underconstrained/local-check.ts';
import { usedAdviceCells } from './underconstrained/used-cells.ts';
import { candidateValues, randomFieldStream } from './underconstrained/values.ts';

export { findFreedoms, type FindFreedomsOptions } from './underconstrained/finder.ts';
export { describeFreedom, type Freedom, type FreedomKind, type Move } from './underconstrained/freedom.ts';
export { LocalChecker } from './underconstrained/local-check.ts';
export { CopyClasses, CellSpace, type CopyClass } from './underconstrained/cells.ts';
export { usedAdviceCells } from './underconstrained/used-cells.ts';

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
  /** Random replacement values tried per cell besides v ± 1, 0, 1, −1 (default 1). */
  readonly randomTries?: number;
  /** Forwarded to the MockProver (e.g. checkBlindingRows). */
  readonly mock?: MockProveOptions;
}

/**
 * Returns the advice cells whose value can change alone without any constraint noticing. Throws when the
 * honest assignment itself fails (fix that first: mockProve says where).
 */
export function findUnderconstrainedCells(
  cs: ConstraintSystem,
  k: number,
  assignment: Assignment,
  opts: FindUnderconstrainedOptions = {},
): UnderconstrainedCell[] {
  const p = prepareAssignment(cs, k, assignment);
  const chk = new LocalChecker(cs, p, opts.mock);
  if (!chk.confirm()) throw new Error('findUnderconstrainedCells: the honest assignment fails mockProve; fix it first');
  const classes = new CopyClasses(chk.space, p.copies);
  const random = randomFieldStream(1);
  const cells = (opts.cells ?? usedAdviceCells(cs, p)).filter((c) => c.column.type === 'advice' && c.row >= 0 && c.row < p.u);
  const found: UnderconstrainedCell[] = [];
  for (const { column, row } of cells) {
    const cls = classes.ofCell({ column, row });
    if (cls.ids.length > 1) continue;
    const original = chk.value(cls);
    for (const v of candidateValues(original, random, { shifts: [], randomTries: opts.randomTries ?? 1 })) {
      chk.set(cls, v);
      const ok = chk.holds([cls]) && chk.confirm();
      chk.set(cls, original);
      if (ok) {
        found.push({ column, row, original, accepted: v });
        break;
      }
    }
  }
  return found;
}

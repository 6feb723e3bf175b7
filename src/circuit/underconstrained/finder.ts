/**
 * The freedom finder: moves copy classes of a satisfying assignment, one at a time and in pairs, and
 * reports every move all constraints accept — another witness, or another public output, for the same
 * inputs.
 *
 * For each movable class A (not pinned by a fixed cell, not a declared input) and each candidate value
 * (values.ts), the constraint rows reading A are re-evaluated (local-check.ts):
 * - none fails: a single-class freedom (`cell`, `copy-class` or `public`);
 * - some fail: a partner class B could repair them only if B is read by every failing row; for each such B
 *   the finder solves B's value from a failing row (solve.ts) and re-checks both classes' rows.
 * Every report is confirmed by a full MockProver run on the changed assignment.
 *
 * Blind spots (by design, to stay fast): freedoms that need three or more classes to move together, a
 * partner that only a lookup whose inputs all move with it could pin, and values other than the
 * candidates. Phase-0 cells are never solved from a row that reads a challenge (a prover commits to them
 * before the challenge exists), so Freivalds-style checks are not reported as free.
 */
import type { ConstraintSystem } from '../../plonk/cs.ts';
import type { Cell } from '../../plonk/permutation/keygen.ts';
import { type Assignment, type MockProveOptions, prepareAssignment } from '../mock-prover.ts';
import { type CopyClass, CopyClasses } from './cells.ts';
import type { Freedom, FreedomKind } from './freedom.ts';
import { type Item, LocalChecker } from './local-check.ts';
import { solveFromGate, solveFromLookup } from './solve.ts';
import { usedAdviceCells } from './used-cells.ts';
import { type ValueOptions, candidateValues, randomFieldStream } from './values.ts';

export interface FindFreedomsOptions extends ValueOptions {
  /**
   * Cells that are free by design — private input cells and the instance cells of public inputs. Their
   * copy classes are never moved, so a change that needs a different input is not reported.
   */
  readonly inputs?: readonly Cell[];
  /** Cells whose classes are moved first (default: every used advice cell and every instance cell). */
  readonly cells?: readonly Cell[];
  /** Try two-class moves (default true). */
  readonly pairs?: boolean;
  /** Partner classes tried per failing move (default 8). */
  readonly maxPartners?: number;
  /** Stop after this many reports (default 100). */
  readonly maxReports?: number;
  /** Seed of the random candidate values (default 1). */
  readonly seed?: number;
  /** Forwarded to the MockProver (e.g. checkBlindingRows). */
  readonly mock?: MockProveOptions;
}

/** Instance cells that hold public values (rows below each instance column's length). */
function instanceCells(a: Assignment): Cell[] {
  return a.instance.flatMap((col, index) => col.map((_, row): Cell => ({ column: { type: 'instance', index }, row })));
}

/**
 * Every freedom of `assignment` the search reaches (see the module comment), in the order found. Throws
 * when the honest assignment itself fails the MockProver (fix that first: mockProve says where).
 */
export function findFreedoms(cs: ConstraintSystem, k: number, assignment: Assignment, opts: FindFreedomsOptions = {}): Freedom[] {
  const p = prepareAssignment(cs, k, assignment);
  const chk = new LocalChecker(cs, p, opts.mock);
  if (!chk.confirm()) throw new Error('findFreedoms: the honest assignment fails mockProve; fix it first');
  const classes = new CopyClasses(chk.space, p.copies);
  const inputClasses = new Set((opts.inputs ?? []).map((c) => classes.ofCell(c)));
  const movable = (c: CopyClass) => !c.hasFixed && !inputClasses.has(c);
  /** Earliest phase among the class's cells; public values are fixed before any challenge (−1). */
  const phaseOf = (c: CopyClass) =>
    Math.min(...c.cells.map((x) => (x.column.type === 'advice' ? (cs.advicePhases[x.column.index] ?? 0) : -1)));

  const order: CopyClass[] = [];
  const seen = new Set<CopyClass>();
  for (const cell of opts.cells ?? [...usedAdviceCells(cs, p), ...instanceCells(assignment)]) {
    if (cell.column.type === 'fixed' || cell.row < 0 || cell.row >= p.u) continue;
    const cls = classes.ofCell(cell);
    if (!seen.has(cls)) (seen.add(cls), order.push(cls));
  }

  const random = randomFieldStream(opts.seed ?? 1);
  const maxReports = opts.maxReports ?? 100;
  const maxPartners = opts.maxPartners ?? 8;
  const freeAlone = new Set<CopyClass>();
  const pairsFound = new Set<string>();
  const out: Freedom[] = [];
  const moveOf = (c: CopyClass, original: bigint, accepted: bigint) => ({ cells: c.cells, original, accepted });

  /** With A already moved and rows `fails` broken: a partner whose solved value repairs them, reported. */
  const tryPartners = (A: CopyClass, a0: bigint, fails: readonly Item[]): void => {
    let common: CopyClass[] | null = null;
    for (const it of fails) {
      const here = new Set<CopyClass>();
      for (const id of chk.cellsRead(it)) {
        const B = classes.of(id);
        if (B !== A && movable(B) && !freeAlone.has(B)) here.add(B);
      }
      // A partner must be read by every failing row, or some row stays broken.
      common = common === null ? [...here] : common.filter((B) => here.has(B));
      if (common.length === 0) return;
    }
    for (const B of (common ?? []).slice(0, maxPartners)) {
      const key = A.index < B.index ? `${A.index}:${B.index}` : `${B.index}:${A.index}`;
      if (pairsFound.has(key)) continue;
      const b0 = chk.value(B);
      const tried = new Set<bigint>([b0]);
      const phase = phaseOf(B);
      for (const it of fails) {
        const con = chk.constraintOf(it);
        if (con.challengePhase >= phase) continue;
        const solutions = con.kind === 'gate' ? [solveFromGate(chk, it, B)] : solveFromLookup(chk, it, B);
        for (const x of solutions) {
          if (x === null || tried.has(x)) continue;
          tried.add(x);
          chk.set(B, x);
          const ok = chk.holds([A, B]) && chk.confirm();
          chk.set(B, b0);
          if (!ok) continue;
          const cells = [...A.cells, ...B.cells];
          out.push({
            kind: 'pair',
            moves: [moveOf(A, a0, chk.value(A)), moveOf(B, b0, x)],
            cells,
            publicCells: cells.filter((c) => c.column.type === 'instance'),
            solvedFrom: chk.describeItem(it),
          });
          pairsFound.add(key);
          return;
        }
      }
    }
  };

  for (const A of order) {
    if (out.length >= maxReports) break;
    if (!movable(A)) continue;
    const a0 = chk.value(A);
    for (const v of candidateValues(a0, random, opts)) {
      if (out.length >= maxReports) break;
      chk.set(A, v);
      const fails = chk.failing(chk.itemsTouching([A]));
      if (fails.length === 0 && chk.confirm()) {
        const kind: FreedomKind = A.instanceCells.length > 0 ? 'public' : A.ids.length === 1 ? 'cell' : 'copy-class';
        out.push({ kind, moves: [moveOf(A, a0, v)], cells: A.cells, publicCells: A.instanceCells });
        freeAlone.add(A);
        chk.set(A, a0);
        break;
      }
      if (fails.length > 0 && opts.pairs !== false) tryPartners(A, a0, fails);
      chk.set(A, a0);
    }
  }
  return out;
}

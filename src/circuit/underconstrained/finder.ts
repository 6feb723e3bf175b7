/**
 * The freedom finder: moves copy classes of a satisfying assignment, alone, in pairs and (on request) in
 * longer chains, and reports every move all constraints accept — another witness, or another public
 * output, for the same inputs.
 *
 * For each movable class A (not pinned by a fixed cell, not a declared input) and each candidate value
 * (values.ts), the constraint rows reading A are re-evaluated (local-check.ts):
 * - none fails: a single-class freedom (`cell`, `copy-class` or `public`);
 * - some fail: a partner class B can repair them only if B is read by every failing row; for each such B
 *   the finder solves B's value from a failing row (solve.ts) and re-checks both classes' rows (`pair`).
 *   With `maxClasses` > 2, a B that repairs the first failing row but leaves others broken is kept and a
 *   next class is solved the same way (`chain`).
 * Every report is confirmed by a full MockProver run on the changed assignment.
 *
 * Blind spots (by design, to stay fast): freedoms that need more than `maxClasses` classes moved together
 * or a class no broken row reads, a partner that only a lookup whose inputs all move with it could pin,
 * and values other than the candidates. A cell is never solved from a row that reads a challenge drawn
 * after its phase, nor from values that were (a prover commits to it before the challenge exists), so
 * Freivalds-style checks at a sampled challenge are not reported as free.
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

/** A class moved in the current attempt, with its honest value. */
interface Moved {
  readonly cls: CopyClass;
  readonly original: bigint;
}

export interface FindFreedomsOptions extends ValueOptions {
  /**
   * Cells that are free by design — private input cells and the instance cells of public inputs. Their
   * copy classes are never moved, so a change that needs a different input is not reported.
   */
  readonly inputs?: readonly Cell[];
  /** Cells whose classes are moved first (default: every used advice cell and every instance cell). */
  readonly cells?: readonly Cell[];
  /**
   * Most classes moved together (default 2: single classes and pairs). Above 2 the search keeps solving
   * one more class while rows stay broken (a chain: each class solved from a row the previous ones broke).
   */
  readonly maxClasses?: number;
  /** Partner classes tried per failing move, at each step (default 8). */
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
  const maxClasses = opts.maxClasses ?? 2;
  const freeAlone = new Set<CopyClass>();
  /** Sets of classes already reported together (sorted class indices). */
  const found = new Set<string>();
  const out: Freedom[] = [];
  const moveOf = (c: CopyClass, original: bigint, accepted: bigint) => ({ cells: c.cells, original, accepted });

  /**
   * With `moved` classes already at new values and rows `fails` broken: a further class whose solved value
   * repairs them (recursing while classes are left), reported; true when something was reported.
   * `taint` is the latest challenge phase any earlier solution depended on: a class committed in that phase
   * or before cannot take a value derived from it (the prover chose it before the challenge existed).
   */
  const repair = (moved: readonly Moved[], fails: readonly Item[], via: readonly string[], taint: number): boolean => {
    const inMove = new Set(moved.map((m) => m.cls));
    const last = moved.length + 1 === maxClasses;
    let common: CopyClass[] | null = null;
    // The last class added must be read by every failing row, or some row stays broken; earlier ones need
    // only repair the first failing row (the rest is left to the classes after them).
    for (const it of last ? fails : fails.slice(0, 1)) {
      const here = new Set<CopyClass>();
      for (const id of chk.cellsRead(it)) {
        const B = classes.of(id);
        if (!inMove.has(B) && movable(B) && !freeAlone.has(B)) here.add(B);
      }
      common = common === null ? [...here] : common.filter((B) => here.has(B));
      if (common.length === 0) return false;
    }
    for (const B of (common ?? []).slice(0, maxPartners)) {
      const key = [...inMove, B].map((c) => c.index).sort((x, y) => x - y).join(':');
      if (found.has(key)) continue;
      const b0 = chk.value(B);
      const tried = new Set<bigint>([b0]);
      const phase = phaseOf(B);
      for (const it of fails) {
        const con = chk.constraintOf(it);
        const dependsOn = Math.max(taint, con.challengePhase);
        if (dependsOn >= phase || !chk.cellsRead(it).some((id) => classes.of(id) === B)) continue;
        const solutions = con.kind === 'gate' ? [solveFromGate(chk, it, B)] : solveFromLookup(chk, it, B);
        for (const x of solutions) {
          if (x === null || tried.has(x)) continue;
          tried.add(x);
          chk.set(B, x);
          const all = [...moved, { cls: B, original: b0 }];
          const still = chk.failing(chk.itemsTouching(all.map((m) => m.cls)));
          const steps = [...via, chk.describeItem(it)];
          let done = false;
          if (still.length === 0 && chk.confirm()) {
            const cells = all.flatMap((m) => m.cls.cells);
            out.push({
              kind: all.length === 2 ? 'pair' : 'chain',
              moves: all.map((m) => moveOf(m.cls, m.original, chk.value(m.cls))),
              cells,
              publicCells: cells.filter((c) => c.column.type === 'instance'),
              solvedFrom: steps.join('; '),
            });
            found.add(key);
            done = true;
          } else if (still.length > 0 && all.length < maxClasses) done = repair(all, still, steps, dependsOn);
          chk.set(B, b0);
          if (done) return true;
        }
      }
    }
    return false;
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
      if (fails.length > 0 && maxClasses > 1) repair([{ cls: A, original: a0 }], fails, [], -Infinity);
      chk.set(A, a0);
    }
  }
  return out;
}

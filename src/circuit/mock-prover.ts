/**
 * MockProver: checks an assignment against a constraint system without any cryptography (PROTOCOL §2),
 * reporting every violated gate, lookup and copy constraint as typed data with a readable description.
 *
 * What it checks, row by row with bigint arithmetic:
 * - gates: every polynomial on every usable row 0..u−1. Rows i+ρ outside [0,u) read advice the prover
 *   fills with random blinding values, so such reads are "poison" (unknown): a gate whose value depends on
 *   poison (a real 0 factor, e.g. a fixed selector, clears it) fails with "reaches past usable rows".
 *   Fixed columns are 0 on rows ≥ u and instance columns are 0 past their values, exactly as in the proof.
 *   Because gates are not multiplied by an active-row polynomial, they must also vanish on the blinding
 *   rows u..n−1 (via a fixed selector); that is checked too unless `checkBlindingRows: false`.
 * - lookups: on rows with selector 1, the input tuple must equal some table tuple over rows < u.
 * - copies: both cells hold the same value (instance cells read the instance values).
 *
 * Meant for debugging circuits and layouters: evaluation is the generic `evaluate()` over bigint, fine up
 * to k≈14 or so. When the assignment carries region labels (CircuitBuilder.enterRegion; the compiler labels
 * each node's rows `Op 'name'`), every failure names the region of its row, as halo2's MockProver does.
 */
import { CircuitError, InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS, frAdd, frMul, frNeg, frFrom } from '../scalar/fr.ts';
import { frVecToBigints, type FrVec } from '../field/frvec.ts';
import { type Column, type Expr, type ExprAlgebra, evaluate, forEachQuery } from '../plonk/expression.ts';
import { type ConstraintSystem, csShape } from '../plonk/cs.ts';
import type { Copies } from '../plonk/permutation/copy-list.ts';

export interface Assignment {
  /** Fixed columns in Lagrange form (rows ≥ u must be 0; shorter columns are zero-padded). */
  readonly fixed: readonly FrVec[];
  /** Advice columns in Lagrange form, at most u rows each (rows ≥ u are blinding, filled by the prover). */
  readonly advice: readonly FrVec[];
  /** Instance values per instance column (at most u each). */
  readonly instance: readonly (readonly bigint[])[];
  readonly copies: Copies;
  /** Values of the circuit's challenges, by index; required when a gate or lookup reads a challenge. */
  readonly challenges?: readonly bigint[];
  /** What the rows were laid out for (reporting only; never checked). */
  readonly regions?: RegionLabels;
}

/**
 * Labelled spans of rows: span i covers rows starts[i] .. starts[i + 1] − 1 (the last one up to `end`,
 * exclusive) and carries labels[i] (null: unlabelled). Starts ascend.
 */
export interface RegionLabels {
  readonly starts: readonly number[];
  readonly labels: readonly (string | null)[];
  readonly end: number;
}

/** The label of the span holding `row`, or undefined (unlabelled, or outside every span). */
export function regionAt(regions: RegionLabels | undefined, row: number): string | undefined {
  if (!regions || row < 0 || row >= regions.end) return undefined;
  const { starts, labels } = regions;
  // Binary search for the last start ≤ row.
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0 || starts[0]! > row) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return labels[lo] ?? undefined;
}

export type FailureKind = 'gate' | 'lookup' | 'copy';

export interface FailureCell {
  readonly column: Column;
  /** Rotation of the query relative to the failing row (0 for copy cells). */
  readonly rotation: number;
  /** Absolute row read (i + ρ, before wrapping). */
  readonly row: number;
  /** The value read; null when unknown (advice on a row outside [0,u): random blinding in the proof). */
  readonly value: bigint | null;
  /** Copy cells in advice columns: the region label of their row, when the assignment has labels. */
  readonly region?: string;
}

export interface Failure {
  readonly kind: FailureKind;
  /** Gate name, lookup name, or `copy #i`. */
  readonly name: string;
  /** Gate: polynomial index within the gate. Lookup: index in cs.lookups. Copy: index in assignment.copies. */
  readonly poly: number;
  /** Failing row (for copies: the row of cell a). */
  readonly row: number;
  /** Why it failed, e.g. 'gate is nonzero', 'reaches past usable rows', 'input not in table', 'values differ'. */
  readonly reason: string;
  /** Gate: the polynomial's value (null when unknown). Lookup: the input tuple is in `cells` order. */
  readonly value?: bigint | null;
  /** Lookup: the input tuple values (null entries are unknown). */
  readonly inputs?: readonly (bigint | null)[];
  readonly cells: readonly FailureCell[];
  /**
   * The region label of the failing row (for copies: of the first advice cell), when the assignment has
   * labels; for a compiled model, the node and op that laid the row out, e.g. `Conv 'conv1'`.
   */
  readonly region?: string;
}

export interface MockProveOptions {
  /** Check that gates vanish on blinding rows u..n−1 (default true). */
  readonly checkBlindingRows?: boolean;
  /** Stop after this many failures (default: collect all). */
  readonly maxFailures?: number;
}

export interface MockProveResult {
  readonly ok: boolean;
  readonly failures: Failure[];
}

/** Columns converted once to bigint arrays of length n (zero-padded); advice rows ≥ u are poison. */
export interface PreparedAssignment {
  readonly n: number;
  readonly u: number;
  readonly fixed: bigint[][];
  readonly advice: bigint[][];
  readonly instance: bigint[][];
  readonly copies: Copies;
  readonly challenges: readonly bigint[];
  readonly regions?: RegionLabels;
}

/** bigint, or null = poison (unknown blinding value). */
type Val = bigint | null;

const r = FR_MODULUS;

const poisonAlgebra = (read: (c: Column, rot: number) => Val, challenge: (i: number) => bigint): ExprAlgebra<Val> => ({
  constant: (v) => frFrom(v),
  query: read,
  challenge: (i) => challenge(i),
  add: (a, b) => (a === null || b === null ? null : frAdd(a, b)),
  // A real zero annihilates poison (a disabled selector makes the blinding value irrelevant).
  mul: (a, b) => (a === 0n || b === 0n ? 0n : a === null || b === null ? null : frMul(a, b)),
  neg: (a) => (a === null ? null : frNeg(a)),
});

function toColumn(v: FrVec | readonly bigint[], n: number, u: number, what: string, maxRows: number): bigint[] {
  const vals = v instanceof Uint8Array ? frVecToBigints(v) : v.map((x) => (x >= 0n && x < r ? x : frFrom(x)));
  if (vals.length > maxRows) throw new InvalidArgumentError(`${what} has ${vals.length} rows; at most ${maxRows} may be assigned`);
  const out = new Array<bigint>(n).fill(0n);
  for (let i = 0; i < vals.length; i++) out[i] = vals[i]!;
  for (let i = u; i < vals.length; i++)
    if (out[i] !== 0n) throw new CircuitError(`${what} is nonzero on row ${i}; only rows 0..${u - 1} may be assigned`);
  return out;
}

/** Converts and validates the assignment once (shared by mockProve and the underconstrained-cell finder). */
export function prepareAssignment(cs: ConstraintSystem, k: number, a: Assignment): PreparedAssignment {
  const { n, u } = csShape(cs, k);
  if (a.fixed.length !== cs.numFixed) throw new InvalidArgumentError(`expected ${cs.numFixed} fixed columns, got ${a.fixed.length}`);
  if (a.advice.length !== cs.advicePhases.length)
    throw new InvalidArgumentError(`expected ${cs.advicePhases.length} advice columns, got ${a.advice.length}`);
  if (a.instance.length !== cs.numInstance) throw new InvalidArgumentError(`expected ${cs.numInstance} instance columns, got ${a.instance.length}`);
  return {
    n,
    u,
    fixed: a.fixed.map((c, i) => toColumn(c, n, u, `fixed column ${i}`, n)),
    advice: a.advice.map((c, i) => toColumn(c, n, u, `advice column ${i}`, u)),
    instance: a.instance.map((c, i) => toColumn(c, n, u, `instance column ${i}`, u)),
    copies: a.copies,
    challenges: (a.challenges ?? []).map((x) => frFrom(x)),
    ...(a.regions ? { regions: a.regions } : {}),
  };
}

const wrap = (row: number, n: number) => ((row % n) + n) % n;

/** `f` with the region label of `row`, when there is one. */
function withRegion(p: PreparedAssignment, row: number, f: Failure): Failure {
  const region = regionAt(p.regions, row);
  return region === undefined ? f : { ...f, region };
}

/** Value of column `c` at absolute row `row` (wrapping mod n, as ω^n = 1); advice outside [0,u) is poison. */
function readCell(p: PreparedAssignment, c: Column, row: number): Val {
  const w = wrap(row, p.n);
  if (c.type === 'advice') return w < p.u ? p.advice[c.index]![w]! : null;
  if (c.type === 'fixed') return p.fixed[c.index]![w]!;
  return p.instance[c.index]![w]!;
}

function cellsOf(p: PreparedAssignment, exprs: readonly Expr[], row: number): FailureCell[] {
  const seen = new Set<string>();
  const out: FailureCell[] = [];
  for (const e of exprs)
    forEachQuery(e, (column, rotation) => {
      const key = `${column.type}:${column.index}@${rotation}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ column, rotation, row: row + rotation, value: readCell(p, column, row + rotation) });
    });
  return out;
}

/** Runs every check on a prepared assignment. */
export function mockProvePrepared(cs: ConstraintSystem, p: PreparedAssignment, opts: MockProveOptions = {}): MockProveResult {
  const { n, u } = p;
  const max = opts.maxFailures ?? Infinity;
  const failures: Failure[] = [];
  const full = () => failures.length >= max;
  let row = 0;
  const challenge = (i: number): bigint => {
    const v = p.challenges[i];
    if (v === undefined) throw new InvalidArgumentError(`challenge ${i} is read by the circuit but assignment.challenges has no value for it`);
    return v;
  };
  const alg = poisonAlgebra((c, rot) => readCell(p, c, row + rot), challenge);

  // Gates.
  const gateRows = opts.checkBlindingRows === false ? u : n;
  outer: for (const g of cs.gates) {
    for (let pi = 0; pi < g.polys.length; pi++) {
      const poly = g.polys[pi]!;
      for (row = 0; row < gateRows; row++) {
        const v = evaluate(poly, alg);
        if (v === 0n) continue;
        const reason =
          row >= u
            ? 'gate does not vanish on a blinding row (rows ≥ u need a fixed selector that is 0 there)'
            : v === null
              ? 'reaches past usable rows'
              : 'gate is nonzero';
        failures.push(withRegion(p, row, { kind: 'gate', name: g.name, poly: pi, row, reason, value: v, cells: cellsOf(p, [poly], row) }));
        if (full()) break outer;
      }
    }
  }

  // Lookups.
  const tables = new Map<number, Set<string>>();
  const tableSet = (ti: number): Set<string> => {
    let s = tables.get(ti);
    if (s) return s;
    s = new Set<string>();
    const cols = cs.lookupTables[ti]!.columns;
    for (row = 0; row < u; row++) s.add(cols.map((e) => String(evaluate(e, alg))).join(','));
    tables.set(ti, s);
    return s;
  };
  for (let li = 0; li < cs.lookups.length && !full(); li++) {
    const l = cs.lookups[li]!;
    const table = tableSet(l.table);
    for (row = 0; row < u; row++) {
      const s = evaluate(l.selector, alg);
      if (s === 0n) continue;
      const inputs = l.inputs.map((e) => evaluate(e, alg));
      let reason: string | null = null;
      if (s !== 1n) reason = `selector is ${s === null ? 'unknown' : s}, must be 0 or 1`;
      else if (inputs.some((x) => x === null)) reason = 'reaches past usable rows';
      else if (!table.has(inputs.map(String).join(','))) reason = `input not in table '${cs.lookupTables[l.table]!.name}'`;
      if (reason === null) continue;
      failures.push(withRegion(p, row, { kind: 'lookup', name: l.name, poly: li, row, reason, inputs, cells: cellsOf(p, [l.selector, ...l.inputs], row) }));
      if (full()) break;
    }
  }

  // Copy constraints.
  const isEq = (c: Column) => cs.equality.some((e) => e.type === c.type && e.index === c.index);
  for (let ci = 0; ci < p.copies.length && !full(); ci++) {
    const cp = p.copies.at(ci)!;
    const cells: FailureCell[] = [cp.a, cp.b].map((cell) => {
      const region = cell.column.type === 'advice' ? regionAt(p.regions, cell.row) : undefined;
      return {
        column: cell.column,
        rotation: 0,
        row: cell.row,
        value: Number.isInteger(cell.row) && cell.row >= 0 && cell.row < u ? readCell(p, cell.column, cell.row) : null,
        ...(region !== undefined ? { region } : {}),
      };
    });
    let reason: string | null = null;
    const bad = [cp.a, cp.b].find((c) => !isEq(c.column));
    const badRow = [cp.a, cp.b].find((c) => !Number.isInteger(c.row) || c.row < 0 || c.row >= u);
    if (bad) reason = `${bad.column.type} column ${bad.column.index} is not an equality column`;
    else if (badRow) reason = `row ${badRow.row} is outside the usable rows 0..${u - 1}`;
    else if (cells[0]!.value !== cells[1]!.value) reason = 'values differ';
    const region = cells.find((c) => c.region !== undefined)?.region;
    if (reason !== null) failures.push({ kind: 'copy', name: `copy #${ci}`, poly: ci, row: cp.a.row, reason, cells, ...(region !== undefined ? { region } : {}) });
  }

  return { ok: failures.length === 0, failures };
}

/** Checks `assignment` against `cs` on a 2^k-row domain; see the module comment for what is checked. */
export function mockProve(cs: ConstraintSystem, k: number, assignment: Assignment, opts: MockProveOptions = {}): MockProveResult {
  return mockProvePrepared(cs, prepareAssignment(cs, k, assignment), opts);
}

const fmtVal = (v: bigint | null): string => {
  if (v === null) return '<unknown: blinding row>';
  // Show small negatives as such (r − 1 → −1).
  return v > r / 2n ? `-${r - v}` : String(v);
};
const fmtCol = (c: Column) => `${c.type}[${c.index}]`;

/** A readable one-paragraph description of a failure, naming the constraint, row, region, columns and values. */
export function describe(f: Failure): string {
  const cells = f.cells
    .map((c) =>
      f.kind === 'copy'
        ? `${fmtCol(c.column)} row ${c.row}${c.region !== undefined ? ` (${c.region})` : ''} = ${fmtVal(c.value)}`
        : `${fmtCol(c.column)}@${c.rotation >= 0 ? '+' : ''}${c.rotation} (row ${c.row}) = ${fmtVal(c.value)}`,
    )
    .join(', ');
  const where = f.region !== undefined ? ` in ${f.region}` : '';
  switch (f.kind) {
    case 'gate':
      return `gate '${f.name}' poly ${f.poly} fails on row ${f.row}${where}: ${f.reason} (value ${fmtVal(f.value ?? null)}); cells: ${cells}`;
    case 'lookup':
      return `lookup '${f.name}' fails on row ${f.row}${where}: ${f.reason}; input (${(f.inputs ?? []).map(fmtVal).join(', ')}); cells: ${cells}`;
    case 'copy':
      return `${f.name} fails: ${f.reason}: ${cells}`;
  }
}

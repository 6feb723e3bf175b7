/**
 * CircuitBuilder: a small layouter on top of the constraint-system data (PROTOCOL §2). Chips ask it for
 * columns, rows, gates, tables, lookups and copies, and assign witness values as they go; `build()` picks
 * the smallest k that fits and returns everything keygen, the prover and the MockProver need.
 *
 * Layout is deliberately simple: every region takes fresh rows from one vertical cursor and uses advice
 * columns 0..w−1 (the advice column count is the widest region). Fixed data that is not per-row (constants,
 * tables) lives in its own fixed columns starting at row 0. Instance column 0 holds the public values in
 * the order they were declared.
 *
 * Soundness conventions every chip relies on:
 * - each gate kind has its own fixed selector column, so gates vanish on unused and blinding rows;
 * - table columns are padded up to the usable row count with copies of their first tuple (never with
 *   zeros: a zero tuple would otherwise be a silent extra table row);
 * - constants are cells of a fixed column taking part in copy constraints, so an advice cell copied from a
 *   constant is pinned by the verifying key.
 *
 * Second-phase advice (for checks at a verifier challenge, e.g. Freivalds): `challenge()` registers a
 * challenge drawn after phase-0 advice is committed; `advicePhase1(j)` columns hold values computed from
 * the challenges (`assignPhase1`). During layout they are evaluated at a random sample of the challenges
 * (the MockProver's `assignment.challenges`); the prover's witness recomputes them at the transcript's
 * challenges. Phase-1 columns are numbered after all phase-0 columns when the circuit is built.
 *
 * Region labels: `enterRegion(label)` names the rows taken from then on (a compiler passes the ONNX node
 * being lowered), so the MockProver can say what a failing row was laid out for. They are kept as spans of
 * rows (two plain arrays, one entry per change of label), never per cell, and do not enter the circuit.
 */
import { CircuitError } from '../errors.ts';
import { FR_MODULUS } from '../scalar/fr.ts';
import type { FrVec } from '../field/frvec.ts';
import { ColumnValues } from './column-values.ts';
import { type Column, type Expr, add, constant, fixed as fixedQ, mul, query } from '../plonk/expression.ts';
import { frFrom, frRandom } from '../scalar/fr.ts';
import { type ConstraintSystem, type Gate, type Lookup, type LookupTable, csShape } from '../plonk/cs.ts';
import type { CircuitDescription } from '../plonk/keygen.ts';
import type { Cell } from '../plonk/permutation/keygen.ts';
import { CopyList } from '../plonk/permutation/copy-list.ts';
import type { Witness } from '../plonk/prover.ts';
import type { Assignment, RegionLabels } from './mock-prover.ts';
import { checkLayoutHeap } from './heap-guard.ts';

export type { Cell } from '../plonk/permutation/keygen.ts';

/** A cell together with the integer the honest witness holds there. */
export interface Value {
  readonly cell: Cell;
  readonly value: bigint;
}

/** A phase-1 cell's value from the challenges and earlier cells' values (field elements). */
export type Phase1Fn = (challenges: readonly bigint[], value: (v: Value) => bigint) => bigint;

export interface BuiltCircuit {
  readonly cs: ConstraintSystem;
  readonly k: number;
  readonly circuit: CircuitDescription;
  /** Instance values per instance column (field elements, negatives reduced mod r). */
  readonly instances: bigint[][];
  /** The same public values as signed integers (for people and for comparison with the reference). */
  readonly publicValues: bigint[];
  readonly witness: Witness;
  readonly assignment: Assignment;
  /** Rows used by regions (the cursor), for cost reporting. */
  readonly rows: number;
}

const MAX_K = 26;
/** Phase-1 advice columns carry indices from here until build() renumbers them after the phase-0 ones. */
const PHASE1_BASE = 1 << 20;
const isPhase1 = (c: Column): boolean => c.type === 'advice' && c.index >= PHASE1_BASE;

const colKey = (c: Column) => `${c.type}:${c.index}`;
const fieldOf = (v: bigint): bigint => ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;

/** Signed integers only (|v| well below r/2): the circuit's arithmetic is exact on them. */
export function toBig(v: bigint | number): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new CircuitError(`witness value ${v} is not a safe integer`);
  return BigInt(v);
}

/** Tagged lookups from one advice column into one table (CircuitBuilder.taggedLookup). */
interface TaggedGroup {
  readonly table: number;
  readonly column: Column;
  readonly parts: { readonly name: string; readonly tag: bigint; readonly selector: Column }[];
}

export class CircuitBuilder {
  private numAdvice = 0;
  private readonly fixedKeys = new Map<string, number>();
  private readonly fixedVals: ColumnValues[] = [];
  private readonly adviceVals: ColumnValues[] = [];
  private readonly gates: Gate[] = [];
  private readonly gateNames = new Set<string>();
  private readonly tables: LookupTable[] = [];
  private readonly tableIndex = new Map<string, number>();
  private readonly tableSizes: number[] = [];
  /** The `source` object each table was registered with (see {@link table}). */
  private readonly tableSources: (object | undefined)[] = [];
  /** Sections added so far to each table made by {@link tableSection}, by table index. */
  private readonly tableSections = new Map<number, Set<string>>();
  /** Lookups in registration order; a tagged group (taggedLookup) sits where its first part was registered. */
  private readonly lookups: (Lookup | { readonly group: string })[] = [];
  private readonly lookupNames = new Set<string>();
  private readonly taggedGroups = new Map<string, TaggedGroup>();
  private readonly copies = new CopyList();
  private readonly equality = new Map<string, Column>();
  private readonly constants = new Map<bigint, Value>();
  private readonly publics: bigint[] = [];
  private cursor = 0;
  private numAdvice1 = 0;
  private readonly advice1Vals: ColumnValues[] = [];
  /** Phase-1 cells in assignment order, each a function of the challenges and earlier cells. */
  private readonly deferred: { col: number; row: number; f: Phase1Fn }[] = [];
  private readonly challengeSamples: bigint[] = [];
  /** Span i of rows starts at spanStarts[i] and carries spanLabels[i] (null: unlabelled) up to the next start. */
  private readonly spanStarts: number[] = [];
  private readonly spanLabels: (string | null)[] = [];
  private label: string | null = null;

  // ---- columns -------------------------------------------------------------------------------------

  /** Advice column i (phase 0); the column count grows to cover it. */
  advice(i: number): Column {
    if (i >= this.numAdvice) {
      for (let j = this.numAdvice; j <= i; j++) this.adviceVals.push(new ColumnValues());
      this.numAdvice = i + 1;
    }
    return { type: 'advice', index: i };
  }

  /** Phase-1 advice column j (its values may depend on the challenges); numbered after phase 0 at build. */
  advicePhase1(j: number): Column {
    if (j >= this.numAdvice1) {
      for (let i = this.numAdvice1; i <= j; i++) this.advice1Vals.push(new ColumnValues());
      this.numAdvice1 = j + 1;
    }
    return { type: 'advice', index: PHASE1_BASE + j };
  }

  /** Registers a challenge drawn after the phase-0 advice is committed; returns its index. */
  challenge(): number {
    this.challengeSamples.push(frRandom());
    return this.challengeSamples.length - 1;
  }

  /**
   * Assigns a phase-1 cell as `f(challenges, value)`, where `value(v)` reads an earlier cell (phase 0 or
   * phase 1) under the same challenges, as a field element. Returns the cell with its value at the
   * layout's challenge sample.
   */
  assignPhase1(col: Column, row: number, f: Phase1Fn): Value {
    if (!isPhase1(col)) throw new CircuitError('assignPhase1 on a column that is not phase-1 advice');
    const j = col.index - PHASE1_BASE;
    const value = frFrom(f(this.challengeSamples, (v) => this.sampleValue(v)));
    this.advice1Vals[j]!.set(row, value);
    this.deferred.push({ col: j, row, f });
    return { cell: { column: col, row }, value };
  }

  private sampleValue(v: Value): bigint {
    const c = v.cell.column;
    if (isPhase1(c)) return this.advice1Vals[c.index - PHASE1_BASE]!.get(v.cell.row);
    return frFrom(v.value);
  }

  /** The fixed column named `key`, created on first use. */
  fixed(key: string): Column {
    let i = this.fixedKeys.get(key);
    if (i === undefined) {
      i = this.fixedVals.length;
      this.fixedVals.push(new ColumnValues());
      this.fixedKeys.set(key, i);
    }
    return { type: 'fixed', index: i };
  }

  /** The selector column of gate (or lookup) kind `key`. */
  selector(key: string): Column {
    return this.fixed(`selector:${key}`);
  }

  /** Sets `key`'s selector to 1 on `row`. */
  enable(key: string, row: number): void {
    this.setFixed(this.selector(key), row, 1n);
  }

  setFixed(col: Column, row: number, v: bigint | number): void {
    if (col.type !== 'fixed') throw new CircuitError('setFixed on a non-fixed column');
    this.fixedVals[col.index]!.set(row, toBig(v));
  }

  // ---- rows and cells ------------------------------------------------------------------------------

  /**
   * Labels the rows regions take from now on, until {@link exitRegion} or the next label (e.g. the node a
   * compiler is lowering). Labels only annotate MockProver failures; the circuit does not depend on them.
   */
  enterRegion(label: string): void {
    this.label = label;
  }

  /** Rows taken from now on are unlabelled. */
  exitRegion(): void {
    this.label = null;
  }

  /** Reserves `height` fresh rows and returns the first. */
  region(height: number): number {
    if (!Number.isInteger(height) || height < 1) throw new CircuitError(`region height ${height} must be a positive integer`);
    const start = this.cursor;
    // A new span only where the label changes: the spans stay as few as the labels, however many regions.
    const last = this.spanLabels.length === 0 ? null : this.spanLabels[this.spanLabels.length - 1]!;
    if (last !== this.label) {
      this.spanStarts.push(start);
      this.spanLabels.push(this.label);
    }
    this.cursor += height;
    checkLayoutHeap(this.cursor);
    return start;
  }

  assign(col: Column, row: number, v: bigint | number): Value {
    if (col.type !== 'advice') throw new CircuitError('assign on a non-advice column');
    if (isPhase1(col)) throw new CircuitError('phase-1 cells are assigned with assignPhase1');
    this.advice(col.index);
    const value = toBig(v);
    this.adviceVals[col.index]!.set(row, value);
    return { cell: { column: col, row }, value };
  }

  /** Assigns `v.value` to (col, row) and copy-constrains the new cell to `v.cell`. */
  assignCopy(col: Column, row: number, v: Value): Value {
    const out = this.assign(col, row, v.value);
    this.copy(out.cell, v.cell);
    return out;
  }

  copy(a: Cell, b: Cell): void {
    for (const c of [a.column, b.column]) this.equality.set(colKey(c), c);
    this.copies.push(a, b);
  }

  /** A cell of the fixed 'constants' column holding `v` (one per distinct value), usable in copies. */
  constant(v: bigint | number): Value {
    const value = toBig(v);
    const hit = this.constants.get(value);
    if (hit) return hit;
    const col = this.fixed('constants');
    const row = this.constants.size;
    this.setFixed(col, row, value);
    const out: Value = { cell: { column: col, row }, value };
    this.constants.set(value, out);
    return out;
  }

  /** Private inputs: one advice cell each (column 0), constrained only by how chips use them. */
  privateInputs(values: readonly (bigint | number)[]): Value[] {
    if (values.length === 0) return [];
    const start = this.region(values.length);
    const col = this.advice(0);
    return values.map((v, i) => this.assign(col, start + i, v));
  }

  /** Public inputs: private input cells copied to the next instance rows. */
  publicInputs(values: readonly (bigint | number)[]): Value[] {
    const cells = this.privateInputs(values);
    for (const c of cells) this.publicOutput(c);
    return cells;
  }

  /** Makes `v` public: copies it to the next row of instance column 0. */
  publicOutput(v: Value): void {
    const row = this.publics.length;
    this.publics.push(v.value);
    this.copy(v.cell, { column: { type: 'instance', index: 0 }, row });
  }

  // ---- gates, tables, lookups ----------------------------------------------------------------------

  hasGate(name: string): boolean {
    return this.gateNames.has(name);
  }

  /** Registers gate `name` once (later calls with the same name are no-ops). */
  gate(name: string, polys: () => Expr[]): void {
    if (this.gateNames.has(name)) return;
    this.gateNames.add(name);
    this.gates.push({ name, polys: polys() });
  }

  /**
   * Registers table `name` once: `rows` are its tuples (all the same width). Returns its index. The table
   * columns are fixed columns `table:name:j`; rows past the tuples are padded with the first tuple.
   *
   * A name stands for its rows: a later call with the same name must describe the same tuples, else the
   * circuit would silently check one function against another's table. Calls passing the same `source`
   * object as the first registration (a chip's table spec, reused for every cell) are trusted to; any other
   * call recomputes the rows and is refused with a CircuitError if they differ.
   */
  table(name: string, rows: () => readonly (readonly bigint[])[], source?: object): number {
    const hit = this.tableIndex.get(name);
    if (hit !== undefined) {
      if (this.tableSections.has(hit)) throw new CircuitError(`table '${name}' is built from sections; it cannot be registered whole`);
      if (source === undefined || this.tableSources[hit] !== source) this.checkSameRows(name, hit, rows());
      return hit;
    }
    const tuples = rows();
    if (tuples.length === 0) throw new CircuitError(`table '${name}' is empty`);
    const w = tuples[0]!.length;
    const cols = Array.from({ length: w }, (_, j) => this.fixed(`table:${name}:${j}`));
    tuples.forEach((t, i) => {
      if (t.length !== w) throw new CircuitError(`table '${name}': row ${i} has ${t.length} entries, expected ${w}`);
      t.forEach((v, j) => this.setFixed(cols[j]!, i, v));
    });
    const index = this.tables.length;
    this.tables.push({ name, columns: cols.map((c) => fixedQ(c.index)) });
    this.tableSizes.push(tuples.length);
    this.tableSources.push(source);
    this.tableIndex.set(name, index);
    return index;
  }

  /**
   * Table `name` of `width` columns built from sections: the first time `section` is named its `rows` are
   * appended below the earlier sections; later calls only return the table. One table (so one logUp
   * argument and one multiplicity column) then serves lookups whose ranges appear only as the chips are
   * laid out. The order of sections is the order of first use, which the layout fixes.
   */
  tableSection(name: string, width: number, section: string, rows: () => readonly (readonly bigint[])[]): number {
    let index = this.tableIndex.get(name);
    if (index === undefined) {
      index = this.tables.length;
      const cols = Array.from({ length: width }, (_, j) => this.fixed(`table:${name}:${j}`));
      this.tables.push({ name, columns: cols.map((c) => fixedQ(c.index)) });
      this.tableSizes.push(0);
      this.tableSources.push(undefined);
      this.tableIndex.set(name, index);
      this.tableSections.set(index, new Set());
    }
    const sections = this.tableSections.get(index);
    if (!sections) throw new CircuitError(`table '${name}' was registered whole; it cannot take sections`);
    if (sections.has(section)) return index;
    const cols = this.tables[index]!.columns;
    if (cols.length !== width) throw new CircuitError(`table '${name}' has ${cols.length} columns, not ${width}`);
    const tuples = rows();
    if (tuples.length === 0) throw new CircuitError(`table '${name}': section '${section}' is empty`);
    const at = this.tableSizes[index]!;
    tuples.forEach((t, i) => {
      if (t.length !== width) throw new CircuitError(`table '${name}': section '${section}' row ${i} has ${t.length} entries, expected ${width}`);
      t.forEach((v, j) => {
        const e = cols[j]!;
        if (e.kind === 'query') this.fixedVals[e.column.index]!.set(at + i, toBig(v));
      });
    });
    this.tableSizes[index] = at + tuples.length;
    sections.add(section);
    return index;
  }

  private checkSameRows(name: string, index: number, tuples: readonly (readonly bigint[])[]): void {
    const cols = this.tables[index]!.columns;
    const differ = (why: string): never => {
      throw new CircuitError(`table '${name}' is registered twice with different rows (${why}); a table's name must identify its contents`);
    };
    if (tuples.length !== this.tableSizes[index]) differ(`${this.tableSizes[index]} rows, then ${tuples.length}`);
    tuples.forEach((t, i) => {
      if (t.length !== cols.length) differ(`row ${i} has ${t.length} entries, not ${cols.length}`);
      t.forEach((v, j) => {
        const e = cols[j]!;
        const have = e.kind === 'query' ? this.fixedVals[e.column.index]!.get(i) : undefined;
        if (have !== toBig(v)) differ(`row ${i}, entry ${j}: ${have} vs ${v}`);
      });
    });
  }

  /** Registers lookup `name` once: on rows where `selector` is 1, `inputs` must be a row of `table`. */
  lookup(name: string, table: number, selector: Expr, inputs: () => Expr[]): void {
    if (this.lookupNames.has(name)) return;
    this.lookupNames.add(name);
    this.lookups.push({ name, table, selector, inputs: inputs() });
  }

  /**
   * Registers lookup `name` once: on rows where the fixed column `selector` is 1, the tuple (tag, `column`)
   * must be a row of `table` (a tagged table: the limb ranges, whose tag is the limb width).
   *
   * All tagged lookups from one advice column into one table become ONE logUp input at build, with
   *   selector Σ_k sel_k   and tuple (Σ_k tag_k·sel_k, column),
   * when their selectors are never 1 on the same row: on a row where sel_k is 1 that is (tag_k, column), the
   * check as registered, and a row no selector enables checks nothing. Keygen still requires the summed
   * selector to be 0 or 1 on every row. Degree stays 1 per entry, so a circuit pays one running-sum entry
   * per limb column instead of one per (gadget, limb); selectors that do share a row stay separate inputs.
   */
  taggedLookup(name: string, table: number, tag: bigint, column: Column, selector: Column): void {
    if (this.lookupNames.has(name)) return;
    if (selector.type !== 'fixed') throw new CircuitError(`lookup '${name}': its selector must be a fixed column`);
    this.lookupNames.add(name);
    const key = `${table}:${column.type}:${column.index}`;
    let g = this.taggedGroups.get(key);
    if (!g) {
      this.taggedGroups.set(key, (g = { table, column, parts: [] }));
      this.lookups.push({ group: key });
    }
    g.parts.push({ name, tag, selector });
  }

  /** A tagged group's logUp inputs: its parts bundled greedily into sets whose selectors share no row. */
  private taggedInputs(g: TaggedGroup): Lookup[] {
    const bundles: TaggedGroup['parts'][] = [];
    for (const part of g.parts) {
      const col = this.fixedVals[part.selector.index]!;
      const fits = (b: TaggedGroup['parts']) => b.every((q) => q.selector.index !== part.selector.index && !col.sharesRowWith(this.fixedVals[q.selector.index]!));
      const home = bundles.find(fits);
      if (home) home.push(part);
      else bundles.push([part]);
    }
    const value = query(g.column);
    return bundles.map((parts) => {
      const sels = parts.map((q) => fixedQ(q.selector.index));
      const sameTag = parts.every((q) => q.tag === parts[0]!.tag);
      const tag = sameTag ? constant(parts[0]!.tag) : add(...parts.map((q, i) => mul(constant(q.tag), sels[i]!)));
      return { name: parts.map((q) => q.name).join(' | '), table: g.table, selector: add(...sels), inputs: [tag, value] };
    });
  }

  // ---- build ---------------------------------------------------------------------------------------

  /** Phase-1 placeholder indices → their final indices after the phase-0 columns. */
  private finalColumn(c: Column): Column {
    return isPhase1(c) ? { type: 'advice', index: Math.max(1, this.numAdvice) + (c.index - PHASE1_BASE) } : c;
  }

  private finalExpr(e: Expr): Expr {
    if (this.numAdvice1 === 0) return e;
    switch (e.kind) {
      case 'query':
        return isPhase1(e.column) ? { ...e, column: this.finalColumn(e.column) } : e;
      case 'add':
      case 'mul':
        return { kind: e.kind, a: this.finalExpr(e.a), b: this.finalExpr(e.b) };
      case 'neg':
        return { kind: 'neg', a: this.finalExpr(e.a) };
      default:
        return e;
    }
  }

  private constraintSystem(): ConstraintSystem {
    const equality = [...this.equality.values()].map((c) => this.finalColumn(c)).sort((a, b) => {
      const order = { advice: 0, fixed: 1, instance: 2 } as const;
      return order[a.type] - order[b.type] || a.index - b.index;
    });
    return {
      numFixed: this.fixedVals.length,
      numInstance: 1,
      advicePhases: [...new Array<number>(Math.max(1, this.numAdvice)).fill(0), ...new Array<number>(this.numAdvice1).fill(1)],
      challengePhases: this.challengeSamples.map(() => 0),
      gates: this.gates.map((g) => ({ ...g, polys: g.polys.map((e) => this.finalExpr(e)) })),
      lookupTables: [...this.tables],
      lookups: this.lookups
        .flatMap((l) => ('group' in l ? this.taggedInputs(this.taggedGroups.get(l.group)!) : [l]))
        .map((l) => ({ ...l, selector: this.finalExpr(l.selector), inputs: l.inputs.map((e) => this.finalExpr(e)) })),
      equality,
    };
  }

  /** Rows that must be usable: regions, fixed data (constants, tables), public values. */
  rowsNeeded(): number {
    let rows = Math.max(this.cursor, this.publics.length, 1);
    for (const m of this.fixedVals) rows = Math.max(rows, m.length);
    return rows;
  }

  /** Freezes the circuit at the smallest k ≥ `minK` (or exactly `k`) whose usable rows fit everything. */
  build(opts: { k?: number; minK?: number } = {}): BuiltCircuit {
    const cs = this.constraintSystem();
    const need = this.rowsNeeded();
    let k = opts.k ?? opts.minK ?? 3;
    for (;;) {
      let u = -1;
      try {
        u = csShape(cs, k).u;
      } catch (e) {
        if (opts.k !== undefined || !(e instanceof CircuitError) || k >= MAX_K) throw e;
      }
      if (u >= need) break;
      if (opts.k !== undefined) throw new CircuitError(`the circuit needs ${need} usable rows; k=${k} has ${u}`);
      if (++k > MAX_K) throw new CircuitError(`the circuit needs ${need} rows, more than k=${MAX_K} allows`);
    }
    const { u } = csShape(cs, k);

    // Field-element columns are made on first use: keygen reads the fixed ones, the prover the advice, the
    // MockProver both; a compile that only needs the layout's size never pays 32 bytes a cell for them.
    const tableRows = new Map<number, number>();
    this.tables.forEach((t, ti) => {
      for (const e of t.columns) if (e.kind === 'query') tableRows.set(e.column.index, this.tableSizes[ti]!);
    });
    const lazy = <T>(make: () => T): (() => T) => {
      let v: T | undefined;
      return () => (v ??= make());
    };
    const makeFixed = () =>
      this.fixedVals.map((m, i) => {
        // Every table is padded to u rows with its first tuple.
        const size = tableRows.get(i);
        return size === undefined ? m.toFrVec() : m.paddedCopy(size, u, m.get(0)).toFrVec();
      });
    const makeAdvice = () => {
      const cols = this.adviceVals.map((m) => m.toFrVec());
      if (cols.length === 0) cols.push(new ColumnValues().toFrVec());
      return cols;
    };
    // The MockProver's view keeps its columns; keygen and the prover read theirs once and pad or blind
    // copies of them, so those are made afresh and not kept alive for as long as the circuit is (for a large
    // model, hundreds of MB the prover would otherwise carry through the proof).
    const fixedCols = lazy(makeFixed);
    const advice = lazy(makeAdvice);
    const allAdvice = lazy(() => [...advice(), ...this.advice1Vals.map((m) => m.toFrVec())]);
    const instances = [this.publics.map(fieldOf)];
    const copies = this.copies.mapColumns((c) => this.finalColumn(c));
    const circuit: CircuitDescription = {
      cs,
      k,
      get fixed() {
        return makeFixed();
      },
      copies,
      instanceLengths: [this.publics.length],
    };
    const regions: RegionLabels = { starts: [...this.spanStarts], labels: [...this.spanLabels], end: this.cursor };
    const challenges = [...this.challengeSamples];
    const assignment: Assignment = {
      get fixed() {
        return fixedCols();
      },
      get advice() {
        return allAdvice();
      },
      instance: instances,
      copies,
      challenges,
      regions,
    };
    const witness: Witness = {
      advice: (phase, challenges) => {
        if (phase === 0) return makeAdvice();
        if (phase === 1 && this.numAdvice1 > 0) return this.phase1Columns(challenges);
        throw new CircuitError(`the circuit has no advice of phase ${phase}`);
      },
    };
    return { cs, k, circuit, instances, publicValues: [...this.publics], witness, assignment, rows: this.cursor };
  }

  /** Phase-1 columns recomputed at the transcript's challenges, in assignment order. */
  private phase1Columns(challenges: readonly bigint[]): FrVec[] {
    const vals = this.advice1Vals.map(() => new ColumnValues());
    const read = (v: Value): bigint => (isPhase1(v.cell.column) ? vals[v.cell.column.index - PHASE1_BASE]!.get(v.cell.row) : frFrom(v.value));
    for (const d of this.deferred) vals[d.col]!.set(d.row, frFrom(d.f(challenges, read)));
    return vals.map((m) => m.toFrVec());
  }
}

/**
 * Focused re-checking: after the finder writes new values into a few copy classes, only the gate rows and
 * lookup rows that read one of the changed cells can change their verdict, so only those are evaluated.
 *
 * A failing item is a real failure of the full MockProver too (same semantics, see compile.ts), so a
 * candidate rejected here needs no full run. A candidate that passes is confirmed by `confirm()`, a full
 * `mockProvePrepared` run, before anything is reported — the local check is a filter, never the verdict.
 * Copy constraints are not re-checked locally: the finder moves whole copy classes, which keeps every copy.
 */
import { type Column, type Expr, forEachQuery } from '../../plonk/expression.ts';
import type { ConstraintSystem } from '../../plonk/cs.ts';
import { type MockProveOptions, type PreparedAssignment, mockProvePrepared } from '../mock-prover.ts';
import { CellSpace, type CopyClass } from './cells.ts';
import { compileExpr, type RowFn } from './compile.ts';

/** A column read at a rotation (advice or instance: the cells a prover's choice can reach). */
interface Read {
  readonly slot: number;
  readonly rotation: number;
}

/** One gate polynomial or one lookup, compiled. */
export interface Constraint {
  readonly kind: 'gate' | 'lookup';
  /** Gate name (with `/poly i` when the gate has several) or lookup name. */
  readonly name: string;
  readonly reads: readonly Read[];
  /** Latest phase among the challenges it reads (−Infinity when it reads none). */
  readonly challengePhase: number;
  /** Gate: the polynomial. */
  readonly poly?: RowFn;
  /** Lookup: selector, inputs and the set of table tuples (`v1,v2,…`). */
  readonly selector?: RowFn;
  readonly inputs?: readonly RowFn[];
  readonly table?: ReadonlySet<string>;
  /** Lookup: the table tuples in row order (for solving a cell from the table). */
  readonly tuples?: readonly (readonly bigint[])[];
}

/** A constraint on one row, as a number: constraint index · n + row. */
export type Item = number;

export class LocalChecker {
  readonly space: CellSpace;
  readonly constraints: Constraint[] = [];
  private readonly readers = new Map<number, { c: number; rotation: number }[]>();
  private readonly gateRows: number;

  constructor(
    readonly cs: ConstraintSystem,
    readonly p: PreparedAssignment,
    private readonly mockOpts: MockProveOptions = {},
  ) {
    this.space = new CellSpace(p);
    this.gateRows = mockOpts.checkBlindingRows === false ? p.u : p.n;
    const readsOf = (exprs: readonly Expr[]): Read[] => {
      const seen = new Set<string>();
      const out: Read[] = [];
      for (const e of exprs)
        forEachQuery(e, (column: Column, rotation) => {
          if (column.type === 'fixed') return;
          const key = `${column.type}:${column.index}@${rotation}`;
          if (seen.has(key)) return;
          seen.add(key);
          out.push({ slot: this.space.slot(column), rotation });
        });
      return out;
    };
    const challengePhase = (exprs: readonly Expr[]): number => {
      let phase = -Infinity;
      const walk = (e: Expr): void => {
        if (e.kind === 'challenge') phase = Math.max(phase, cs.challengePhases[e.index] ?? 0);
        else if (e.kind === 'add' || e.kind === 'mul') (walk(e.a), walk(e.b));
        else if (e.kind === 'neg') walk(e.a);
      };
      exprs.forEach(walk);
      return phase;
    };
    for (const g of cs.gates)
      g.polys.forEach((e, i) =>
        this.constraints.push({
          kind: 'gate',
          name: g.polys.length > 1 ? `${g.name} /poly ${i}` : g.name,
          reads: readsOf([e]),
          challengePhase: challengePhase([e]),
          poly: compileExpr(e, p),
        }),
      );
    const tables = cs.lookupTables.map((t) => {
      const cols = t.columns.map((e) => compileExpr(e, p));
      const tuples: bigint[][] = [];
      for (let row = 0; row < p.u; row++) tuples.push(cols.map((f) => f(row)!)); // fixed-only expressions: never poison
      return { tuples, set: new Set(tuples.map((t) => t.join(','))) };
    });
    for (const l of cs.lookups) {
      const t = tables[l.table]!;
      this.constraints.push({
        kind: 'lookup',
        name: l.name,
        reads: readsOf([l.selector, ...l.inputs]),
        challengePhase: challengePhase([l.selector, ...l.inputs]),
        selector: compileExpr(l.selector, p),
        inputs: l.inputs.map((e) => compileExpr(e, p)),
        table: t.set,
        tuples: t.tuples,
      });
    }
    this.constraints.forEach((c, ci) => {
      for (const r of c.reads) {
        let list = this.readers.get(r.slot);
        if (!list) this.readers.set(r.slot, (list = []));
        list.push({ c: ci, rotation: r.rotation });
      }
    });
  }

  /** The class's current value (all its cells agree). */
  value(cls: CopyClass): bigint {
    return this.read(cls.ids[0]!);
  }

  read(id: number): bigint {
    const { column, row } = this.space.cell(id);
    const col = column.type === 'advice' ? this.p.advice[column.index]! : column.type === 'instance' ? this.p.instance[column.index]! : this.p.fixed[column.index]!;
    return col[row]!;
  }

  /** Writes `v` into every advice and instance cell of the class (fixed cells are never written). */
  set(cls: CopyClass, v: bigint): void {
    for (const { column, row } of cls.cells) {
      if (column.type === 'advice') this.p.advice[column.index]![row] = v;
      else if (column.type === 'instance') this.p.instance[column.index]![row] = v;
    }
  }

  /** Every constraint row that reads a cell of one of `classes`. */
  itemsTouching(classes: readonly CopyClass[]): Item[] {
    const { n, u } = this.p;
    const seen = new Set<Item>();
    for (const cls of classes)
      for (const id of cls.ids) {
        const slot = Math.floor(id / n);
        const row = id - slot * n;
        for (const { c, rotation } of this.readers.get(slot) ?? []) {
          let at = (row - rotation) % n;
          if (at < 0) at += n;
          const con = this.constraints[c]!;
          if (con.kind === 'gate' ? at >= this.gateRows : at >= u) continue;
          seen.add(c * n + at);
        }
      }
    return [...seen];
  }

  constraintOf(item: Item): Constraint {
    return this.constraints[Math.floor(item / this.p.n)]!;
  }

  rowOf(item: Item): number {
    return item % this.p.n;
  }

  /** The gate polynomial's value on the item's row (null: poison); lookups have none. */
  gateValue(item: Item): bigint | null {
    return this.constraintOf(item).poly!(this.rowOf(item));
  }

  /** Whether the item holds on the current values (the MockProver's rule for gates and lookups). */
  holdsItem(item: Item): boolean {
    const con = this.constraintOf(item);
    const row = this.rowOf(item);
    if (con.kind === 'gate') return con.poly!(row) === 0n;
    const s = con.selector!(row);
    if (s === 0n) return true;
    if (s !== 1n) return false;
    const key: string[] = [];
    for (const f of con.inputs!) {
      const v = f(row);
      if (v === null) return false;
      key.push(String(v));
    }
    return con.table!.has(key.join(','));
  }

  /** The items among `items` that fail (all of them, or just the first with `firstOnly`). */
  failing(items: readonly Item[], firstOnly = false): Item[] {
    const out: Item[] = [];
    for (const it of items)
      if (!this.holdsItem(it)) {
        out.push(it);
        if (firstOnly) break;
      }
    return out;
  }

  /** Whether every constraint row reading the moved classes holds. */
  holds(classes: readonly CopyClass[]): boolean {
    return this.failing(this.itemsTouching(classes), true).length === 0;
  }

  /** Cell ids (advice and instance, usable rows) an item reads. */
  cellsRead(item: Item): number[] {
    const { n, u } = this.p;
    const con = this.constraintOf(item);
    const row = this.rowOf(item);
    const out: number[] = [];
    for (const r of con.reads) {
      let at = (row + r.rotation) % n;
      if (at < 0) at += n;
      if (at >= u) continue;
      out.push(r.slot * n + at);
    }
    return out;
  }

  /** A full MockProver run on the current values: the final word on every candidate. */
  confirm(): boolean {
    return mockProvePrepared(this.cs, this.p, { ...this.mockOpts, maxFailures: 1 }).ok;
  }

  /** `name` row `r` of an item, for reports. */
  describeItem(item: Item): string {
    return `${this.constraintOf(item).kind} '${this.constraintOf(item).name}' row ${this.rowOf(item)}`;
  }
}


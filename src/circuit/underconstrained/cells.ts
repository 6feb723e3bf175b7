/**
 * Cells as small integers, and copy classes: the sets of cells joined by copy constraints. A class is the
 * unit the finder moves — a prover who changes one cell of a class must change all of them (or break a
 * copy), so trying single cells of a copied value only ever rediscovers that copies hold.
 */
import type { Column } from '../../plonk/expression.ts';
import type { Cell } from '../../plonk/permutation/keygen.ts';
import type { Copies } from '../../plonk/permutation/copy-list.ts';
import type { PreparedAssignment } from '../mock-prover.ts';

/**
 * Numbers cells as `slot·n + row`, slots ordered advice columns, instance columns, fixed columns, so a
 * cell id is a plain number usable as a Map key.
 */
export class CellSpace {
  readonly n: number;
  private readonly numAdvice: number;
  private readonly numInstance: number;
  constructor(p: PreparedAssignment) {
    this.n = p.n;
    this.numAdvice = p.advice.length;
    this.numInstance = p.instance.length;
  }

  /** The slot of a column (its position in advice | instance | fixed). */
  slot(c: Column): number {
    return c.type === 'advice' ? c.index : c.type === 'instance' ? this.numAdvice + c.index : this.numAdvice + this.numInstance + c.index;
  }

  id(c: Cell): number {
    return this.slot(c.column) * this.n + c.row;
  }

  cell(id: number): Cell {
    const slot = Math.floor(id / this.n);
    const row = id - slot * this.n;
    if (slot < this.numAdvice) return { column: { type: 'advice', index: slot }, row };
    if (slot < this.numAdvice + this.numInstance) return { column: { type: 'instance', index: slot - this.numAdvice }, row };
    return { column: { type: 'fixed', index: slot - this.numAdvice - this.numInstance }, row };
  }
}

/** One copy class: every cell equal to the others by copy constraints (a singleton when not copied). */
export interface CopyClass {
  /** Index in creation order (stable within one finder run). */
  readonly index: number;
  readonly ids: readonly number[];
  readonly cells: readonly Cell[];
  /** A fixed cell pins the class to a verifying-key constant: it cannot move. */
  readonly hasFixed: boolean;
  /** Instance cells of the class: moving it changes these public values. */
  readonly instanceCells: readonly Cell[];
}

/** Copy classes by union–find over the copy constraints; classes of cells that are never copied are made on demand. */
export class CopyClasses {
  private readonly classOfId = new Map<number, CopyClass>();
  private readonly all: CopyClass[] = [];

  constructor(
    readonly space: CellSpace,
    copies: Copies,
  ) {
    const parent = new Map<number, number>();
    const find = (x: number): number => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      // Path compression keeps long copy chains (an input copied into many rows) cheap.
      while (x !== r) {
        const next = parent.get(x)!;
        parent.set(x, r);
        x = next;
      }
      return r;
    };
    for (const cp of copies) {
      const [a, b] = [space.id(cp.a), space.id(cp.b)];
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      const [ra, rb] = [find(a), find(b)];
      if (ra !== rb) parent.set(ra, rb);
    }
    const members = new Map<number, number[]>();
    for (const id of parent.keys()) {
      const r = find(id);
      let m = members.get(r);
      if (!m) members.set(r, (m = []));
      m.push(id);
    }
    for (const ids of members.values()) this.make(ids.sort((x, y) => x - y));
  }

  private make(ids: number[]): CopyClass {
    const cells = ids.map((id) => this.space.cell(id));
    const cls: CopyClass = {
      index: this.all.length,
      ids,
      cells,
      hasFixed: cells.some((c) => c.column.type === 'fixed'),
      instanceCells: cells.filter((c) => c.column.type === 'instance'),
    };
    this.all.push(cls);
    for (const id of ids) this.classOfId.set(id, cls);
    return cls;
  }

  /** The class of cell `id`. */
  of(id: number): CopyClass {
    return this.classOfId.get(id) ?? this.make([id]);
  }

  ofCell(c: Cell): CopyClass {
    return this.of(this.space.id(c));
  }
}

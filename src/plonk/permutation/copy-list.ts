/**
 * Copy constraints as flat integer arrays: four Int32 per copy (column code and row of each cell), where a
 * column code is its kind in bits 28–29 and its index below. A large model has tens of millions of copies;
 * as {a, b} objects they also kept every copied cell's object alive for the whole layout.
 * Iterating yields CopyConstraint objects made on the fly, so code written for arrays of them reads both.
 */
import type { Column } from '../expression.ts';
import type { Cell, CopyConstraint } from './keygen.ts';

const KINDS = ['advice', 'fixed', 'instance'] as const;
const KIND_SHIFT = 28;
const INDEX_MASK = (1 << KIND_SHIFT) - 1;

function columnCode(c: Column): number {
  const kind = KINDS.indexOf(c.type);
  if (kind < 0 || !Number.isInteger(c.index) || c.index < 0 || c.index > INDEX_MASK) throw new RangeError(`copy on an invalid column ${c.type} ${c.index}`);
  return (kind << KIND_SHIFT) | c.index;
}

export function columnOfCode(code: number): Column {
  return { type: KINDS[code >>> KIND_SHIFT]!, index: code & INDEX_MASK };
}

export class CopyList implements Iterable<CopyConstraint> {
  private data = new Int32Array(64);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(a: Cell, b: Cell): void {
    if (4 * this.count + 4 > this.data.length) {
      const next = new Int32Array(Math.max(64, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    const o = 4 * this.count++;
    this.data[o] = columnCode(a.column);
    this.data[o + 1] = a.row;
    this.data[o + 2] = columnCode(b.column);
    this.data[o + 3] = b.row;
  }

  /** Copy i as column codes and rows: [codeA, rowA, codeB, rowB] (no objects). */
  raw(i: number): [number, number, number, number] {
    const o = 4 * i;
    const d = this.data;
    return [d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!];
  }

  at(i: number): CopyConstraint | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const o = 4 * i;
    const d = this.data;
    return { a: { column: columnOfCode(d[o]!), row: d[o + 1]! }, b: { column: columnOfCode(d[o + 2]!), row: d[o + 3]! } };
  }

  *[Symbol.iterator](): Iterator<CopyConstraint> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }

  /** The same copies with every column passed through `f` (e.g. renumbering columns at build). */
  mapColumns(f: (c: Column) => Column): CopyList {
    const out = new CopyList();
    out.data = this.data.slice(0, 4 * this.count);
    out.count = this.count;
    const memo = new Map<number, number>();
    const map = (code: number) => {
      let m = memo.get(code);
      if (m === undefined) memo.set(code, (m = columnCode(f(columnOfCode(code)))));
      return m;
    };
    for (let o = 0; o < 4 * this.count; o += 2) out.data[o] = map(out.data[o]!);
    return out;
  }
}

/** Copy constraints as an array of objects or a CopyList. */
export type Copies = readonly CopyConstraint[] | CopyList;

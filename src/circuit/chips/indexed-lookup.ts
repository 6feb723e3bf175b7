/**
 * {@link indexedLookup}: y = v(g, idx) for a runtime index cell idx and a public group g, by one lookup of
 * the tuple (idx, g, y) into the table of every (r, g, v(g, r)), r ∈ [0, size), g ∈ [0, groups).
 *
 * One row per element, advice idx | y (idx copied from its source), g in a fixed column (public, in the
 * VK), lookup `{name}: (idx, g, y)` under the selector `lookup:{name}`. Soundness: the table holds only
 * rows with r ∈ [0, size) and one value per (r, g), so the tuple being a row forces idx to be a valid
 * index (as a field element: one of 0..size−1) and y to be the value it selects in group g — y is never a
 * free cell. Rows whose index is outside [0, size) are rejected at witness time (unprovable anyway).
 * Used for Gather from a constant table by runtime indices (embeddings): g numbers the slice position.
 */
import { CircuitError } from '../../errors.ts';
import { advice, fixed } from '../../plonk/expression.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

export interface IndexedTable {
  /** Names the table; it must identify the rows (e.g. a digest of every value). */
  readonly name: string;
  /** Valid indices are 0..size−1. */
  readonly size: number;
  /** Groups 0..groups−1 (one per position the index selects within). */
  readonly groups: number;
  /** The value at index r in group g (an integer). */
  readonly value: (g: number, r: number) => number;
}

export function indexedLookup(b: CircuitBuilder, idx: Value, g: number, t: IndexedTable): Value {
  const kind = `lookup:${t.name}`;
  const sel = b.selector(kind);
  const [ci, cy] = [b.advice(0), b.advice(1)];
  const cg = b.fixed('indexed-lookup:g');
  const table = b.table(`indexed:${t.name}`, () => {
    if (!(Number.isSafeInteger(t.size) && t.size >= 1 && Number.isSafeInteger(t.groups) && t.groups >= 1)) throw new CircuitError(`table '${t.name}': ${t.size} × ${t.groups} rows`);
    const rows: bigint[][] = [];
    for (let gg = 0; gg < t.groups; gg++) for (let r = 0; r < t.size; r++) rows.push([BigInt(r), BigInt(gg), BigInt(t.value(gg, r))]);
    return rows;
  }, t);
  b.lookup(`${t.name}: (idx, g, y)`, table, fixed(sel.index), () => [advice(ci.index), fixed(cg.index), advice(cy.index)]);
  if (!(g >= 0 && g < t.groups)) throw new CircuitError(`table '${t.name}': group ${g} outside [0, ${t.groups})`);
  if (idx.value < 0n || idx.value >= BigInt(t.size)) throw new CircuitError(`table '${t.name}': index ${idx.value} is outside [0, ${t.size})`);
  const row = b.region(1);
  b.enable(kind, row);
  b.setFixed(cg, row, g);
  b.assignCopy(ci, row, idx);
  return b.assign(cy, row, t.value(g, Number(idx.value)));
}

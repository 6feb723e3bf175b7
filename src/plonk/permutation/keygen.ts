/**
 * Permutation σ from copy constraints (PROTOCOL §4c; halo2 book "permutation"): cycles of cells are merged
 * by swapping successors, so σ maps each cell to the next one in its cycle and is the identity elsewhere.
 * Cells are numbered j·n + i for equality column j and row i.
 */
import { CircuitError } from '../../errors.ts';
import { frVecAlloc, frVecPowers, type FrVec } from '../../field/frvec.ts';
import type { Column } from '../expression.ts';
import { permutationDelta } from './delta.ts';
import type { Copies } from './copy-list.ts';

export interface Cell {
  readonly column: Column;
  readonly row: number;
}

export interface CopyConstraint {
  readonly a: Cell;
  readonly b: Cell;
}

/** σ_j in Lagrange form for every equality column j (values δ^{j'}ω^{i'} of the successor cell). */
export function buildSigmas(equality: readonly Column[], copies: Copies, n: number, u: number, omega: bigint): FrVec[] {
  const M = equality.length;
  const total = M * n;
  const next = new Int32Array(total);
  const cycle = new Int32Array(total);
  const size = new Int32Array(total).fill(1);
  for (let c = 0; c < total; c++) {
    next[c] = c;
    cycle[c] = c;
  }
  // Equality position of each (type, index): looked up for both ends of every copy (tens of thousands).
  const position = new Map<string, number[]>();
  equality.forEach((e, j) => {
    let byIndex = position.get(e.type);
    if (!byIndex) position.set(e.type, (byIndex = []));
    byIndex[e.index] ??= j;
  });
  const cellId = (cell: Cell, which: string): number => {
    const j = position.get(cell.column.type)?.[cell.column.index] ?? -1;
    if (j < 0) throw new CircuitError(`copy constraint (${which}) uses ${cell.column.type} column ${cell.column.index}, which is not an equality column`);
    if (!Number.isInteger(cell.row) || cell.row < 0 || cell.row >= u)
      throw new CircuitError(`copy constraint (${which}) on row ${cell.row}: only rows 0..${u - 1} are usable`);
    return j * n + cell.row;
  };
  for (const cp of copies) {
    let a = cellId(cp.a, 'left');
    let b = cellId(cp.b, 'right');
    if (cycle[a] === cycle[b]) continue;
    if (size[cycle[a]!]! < size[cycle[b]!]!) [a, b] = [b, a];
    // Relabel b's cycle into a's, then splice the two cycles by swapping successors.
    const target = cycle[a]!;
    size[target]! += size[cycle[b]!]!;
    let c = b;
    do {
      cycle[c] = target;
      c = next[c]!;
    } while (c !== b);
    const t = next[a]!;
    next[a] = next[b]!;
    next[b] = t;
  }
  const labels: FrVec[] = equality.map((_, j) => frVecPowers(omega, n, permutationDelta(j)));
  const sigmas: FrVec[] = equality.map(() => frVecAlloc(n));
  for (let j = 0; j < M; j++) {
    const s = sigmas[j]!;
    s.set(labels[j]!);
    for (let i = 0; i < n; i++) {
      const succ = next[j * n + i]!;
      if (succ === j * n + i) continue;
      const sj = (succ / n) | 0;
      const si = succ - sj * n;
      s.set(labels[sj]!.subarray(si * 32, si * 32 + 32), i * 32);
    }
  }
  return sigmas;
}

/** What the finder reports: a change of the witness (and maybe of public values) that every constraint accepts. */
import { FR_MODULUS } from '../../scalar/fr.ts';
import type { Cell } from '../../plonk/permutation/keygen.ts';

/**
 * - `cell`: one advice cell, not copied anywhere, changed alone;
 * - `copy-class`: a copied value changed in every cell that holds it (no public value among them);
 * - `public`: a copied value that includes an instance cell — a public output the prover may choose
 *   without changing any input (inputs are declared to the finder and never moved);
 * - `pair`: two copy classes changed together, the second solved from a constraint row the first broke
 *   (e.g. a quotient and remainder of a one-sided rescale); `publicCells` says whether a public value moved;
 * - `chain`: three or more classes, each solved from a row the ones before it broke (only searched when
 *   the finder is asked for more than two classes).
 */
export type FreedomKind = 'cell' | 'copy-class' | 'public' | 'pair' | 'chain';

/** One copy class moved from its honest value to a value the constraints accepted. */
export interface Move {
  readonly cells: readonly Cell[];
  readonly original: bigint;
  readonly accepted: bigint;
}

export interface Freedom {
  readonly kind: FreedomKind;
  /** One move per class changed: the class that was moved first, then the solved partners in order. */
  readonly moves: readonly Move[];
  /** Every cell changed, over all moves. */
  readonly cells: readonly Cell[];
  /** Instance cells among `cells`: the public values this freedom changes (empty: the public values stay). */
  readonly publicCells: readonly Cell[];
  /** Pairs and chains: the constraint rows the partners' values were solved from, in order. */
  readonly solvedFrom?: string;
}

const signed = (v: bigint): string => (v > FR_MODULUS / 2n ? `-${FR_MODULUS - v}` : String(v));
const cellName = (c: Cell): string => `${c.column.type}[${c.column.index}]@${c.row}`;

/** One line naming the kind, each moved class (its cells, honest → accepted value) and the solving row. */
export function describeFreedom(f: Freedom): string {
  const moves = f.moves.map((m) => `{${m.cells.map(cellName).join(' ')}} ${signed(m.original)} → ${signed(m.accepted)}`).join(' with ');
  return `${f.kind}: ${moves}${f.solvedFrom ? ` (solved from ${f.solvedFrom})` : ''}${f.publicCells.length ? ` [public ${f.publicCells.map(cellName).join(' ')}]` : ''}`;
}

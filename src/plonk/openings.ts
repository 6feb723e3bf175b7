/**
 * What the proof evaluates and opens, shared by prover and verifier so both build identical claim lists:
 * the evaluation order of PROTOCOL §3 step 12, and the SHPLONK claims of §4(f) (one per polynomial, with
 * all its rotations).
 */
import type { CsShape } from './cs.ts';
import type { ConstraintSystem } from './cs.ts';

/** A committed polynomial of the proof or the VK. */
export type OpenedPoly =
  | `advice:${number}`
  | `fixed:${number}`
  | 'r'
  | `sigma:${number}`
  | `z:${number}`
  | `m:${number}`
  | `phi:${number}:${number}`
  | 'h';

export interface Evaluation {
  readonly poly: OpenedPoly;
  readonly rotation: number;
}

/** Evaluations carried by the proof, in transcript order (h is derived by the verifier, never sent). */
export function evaluationOrder(cs: ConstraintSystem, shape: CsShape): Evaluation[] {
  const out: Evaluation[] = [];
  for (const q of shape.adviceQueries) out.push({ poly: `advice:${q.column.index}`, rotation: q.rotation });
  for (const q of shape.fixedQueries) out.push({ poly: `fixed:${q.column.index}`, rotation: q.rotation });
  out.push({ poly: 'r', rotation: 0 });
  cs.equality.forEach((_, j) => out.push({ poly: `sigma:${j}`, rotation: 0 }));
  const C = shape.chunks.length;
  for (let c = 0; c < C; c++) {
    out.push({ poly: `z:${c}`, rotation: 0 }, { poly: `z:${c}`, rotation: 1 });
    if (c < C - 1) out.push({ poly: `z:${c}`, rotation: shape.u });
  }
  shape.lookupArgs.forEach((arg, l) => {
    out.push({ poly: `m:${l}`, rotation: 0 });
    arg.groups.forEach((_, g) => out.push({ poly: `phi:${l}:${g}`, rotation: 0 }, { poly: `phi:${l}:${g}`, rotation: 1 }));
  });
  return out;
}

/** Opening claims: each polynomial once, with its rotations in order of first appearance; H′ last. */
export function openingSchedule(cs: ConstraintSystem, shape: CsShape): { poly: OpenedPoly; rotations: number[] }[] {
  const byPoly = new Map<OpenedPoly, number[]>();
  for (const e of evaluationOrder(cs, shape)) {
    const rots = byPoly.get(e.poly) ?? [];
    if (!rots.includes(e.rotation)) rots.push(e.rotation);
    byPoly.set(e.poly, rots);
  }
  const out = [...byPoly.entries()].map(([poly, rotations]) => ({ poly, rotations }));
  out.push({ poly: 'h', rotations: [0] });
  return out;
}

export const evalKey = (poly: OpenedPoly, rotation: number): string => `${poly}@${rotation}`;

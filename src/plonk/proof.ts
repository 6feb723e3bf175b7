/** The proof: exactly the transcript items of PROTOCOL §3 that the prover sends, in order. */
import type { G1Affine } from '../curve/index.ts';
import type { Fr } from '../scalar/fr.ts';

export interface Proof {
  /** Advice commitments, phase by phase, columns in index order within a phase. */
  readonly advice: readonly G1Affine[];
  readonly multiplicities: readonly G1Affine[];
  readonly permutationProducts: readonly G1Affine[];
  /** φ commitments, argument by argument, groups in order. */
  readonly logupSums: readonly G1Affine[];
  readonly random: G1Affine;
  readonly quotientPieces: readonly G1Affine[];
  /** Evaluations in `evaluationOrder`. */
  readonly evals: readonly Fr[];
  readonly W: G1Affine;
  readonly Wprime: G1Affine;
}

/** Advice columns in the order their commitments appear (phase, then index). */
export function adviceCommitOrder(advicePhases: readonly number[]): number[] {
  return advicePhases.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
}

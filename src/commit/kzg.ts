/** KZG commitments: coefficient form with [τ^i]₁, Lagrange form with [L_i(τ)]₁. */
import { InvalidArgumentError } from '../errors.ts';
import { G1_BYTES, g1MsmAuto, prepareG1Bases, type G1Affine } from '../curve/index.ts';
import type { Srs } from './srs.ts';

/** Σ c_i[τ^i]₁ for an FrVec of coefficients (length ≤ number of powers). */
export async function commitCoeffs(srs: Srs, coeffs: Uint8Array): Promise<G1Affine> {
  if (coeffs.length % 32 !== 0) throw new InvalidArgumentError('commitCoeffs: coefficient vector length is not a multiple of 32');
  const n = coeffs.length / 32;
  if (n * G1_BYTES > srs.g1Powers.length)
    throw new InvalidArgumentError(`commitCoeffs: ${n} coefficients but the SRS has ${srs.g1Powers.length / G1_BYTES} powers`);
  return g1MsmAuto(srs.g1Powers.subarray(0, n * G1_BYTES), coeffs);
}

/** Largest k whose proofs get a table of [τ^i]₁ up front ({@link prepareCommitBases}). */
export const COMMIT_TABLE_MAX_K = 12;

/**
 * Starts building the MSM threads' shifted-base table of [τ^i]₁, i ≤ 2^k, for a proof at k. Every
 * full-width commitment of a proof (z, φ, the quotient pieces, W and W′: 15–20 of them) runs over these
 * powers; up to 2^12 points the table makes each ~30–40 % cheaper and costs about three of them to build —
 * less than one proof saves, and nothing when it is built while the MSM threads would idle (a prover reading
 * its witness). Above COMMIT_TABLE_MAX_K the saving per MSM shrinks (9 % at 2^14) and one proof no longer
 * repays the build, so nothing is built (a process that proves again still gets one: pool.ts TABLE_RENT).
 * Resolves with the table's window width, or 0.
 */
export async function prepareCommitBases(srs: Srs, k: number): Promise<number> {
  if (k > COMMIT_TABLE_MAX_K) return 0;
  return prepareG1Bases(srs.g1Powers.subarray(0, Math.min(srs.g1Powers.length, (2 ** k + 1) * G1_BYTES)));
}

/** Σ e_i[L_i(τ)]₁ over the domain 2^k (evals: FrVec of exactly 2^k entries); small scalars take the fast path. */
export async function commitLagrange(srs: Srs, k: number, evals: Uint8Array): Promise<G1Affine> {
  const n = 2 ** k;
  if (evals.length !== n * 32) throw new InvalidArgumentError(`commitLagrange: expected ${n} evaluations, got ${evals.length / 32}`);
  const basis = await srs.lagrange(k);
  return g1MsmAuto(basis, evals);
}

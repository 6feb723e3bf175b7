/** KZG commitments: coefficient form with [τ^i]₁, Lagrange form with [L_i(τ)]₁. */
import { InvalidArgumentError } from '../errors.ts';
import { G1_BYTES, g1MsmAuto, type G1Affine } from '../curve/index.ts';
import type { Srs } from './srs.ts';

/** Σ c_i[τ^i]₁ for an FrVec of coefficients (length ≤ number of powers). */
export async function commitCoeffs(srs: Srs, coeffs: Uint8Array): Promise<G1Affine> {
  if (coeffs.length % 32 !== 0) throw new InvalidArgumentError('commitCoeffs: coefficient vector length is not a multiple of 32');
  const n = coeffs.length / 32;
  if (n * G1_BYTES > srs.g1Powers.length)
    throw new InvalidArgumentError(`commitCoeffs: ${n} coefficients but the SRS has ${srs.g1Powers.length / G1_BYTES} powers`);
  return g1MsmAuto(srs.g1Powers.subarray(0, n * G1_BYTES), coeffs);
}

/** Σ e_i[L_i(τ)]₁ over the domain 2^k (evals: FrVec of exactly 2^k entries); small scalars take the fast path. */
export async function commitLagrange(srs: Srs, k: number, evals: Uint8Array): Promise<G1Affine> {
  const n = 2 ** k;
  if (evals.length !== n * 32) throw new InvalidArgumentError(`commitLagrange: expected ${n} evaluations, got ${evals.length / 32}`);
  const basis = await srs.lagrange(k);
  return g1MsmAuto(basis, evals);
}

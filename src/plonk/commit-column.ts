/**
 * Commitments to witness columns. Quantized witnesses are small signed integers on the usable rows and
 * random only on the blinding rows, so the commitment is split: a small-scalar MSM over [L_i(τ)]₁ for
 * rows < u (few Pippenger windows) plus a full MSM over the b+1 blinding rows.
 */
import type { Srs } from '../commit/index.ts';
import { g1Add, g1Msm, g1MsmAuto, type G1Affine } from '../curve/index.ts';
import type { FrVec } from '../field/frvec.ts';

export async function commitWitnessColumn(srs: Srs, k: number, u: number, evals: FrVec): Promise<G1Affine> {
  const basis = await srs.lagrange(k);
  const used = await g1MsmAuto(basis.subarray(0, u * 64), evals.subarray(0, u * 32));
  const blind = await g1Msm(basis.subarray(u * 64), evals.subarray(u * 32));
  return g1Add(used, blind);
}

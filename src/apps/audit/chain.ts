/**
 * The public commitments that tie an audit's proofs together, all with the tensor-commitment scheme
 * (src/commit/tensor-commitment.ts) under salt 0 — their elements are commitments already, hiding by their
 * own salts, so anyone recomputes these from the proofs' public values:
 *
 *   dataset commitment  = commit([c_0, …, c_{N−1}]; 0)   c_i: sample i's input commitment(s), in order
 *   labels commitment   = commit([ℓ_0, …, ℓ_{N−1}]; 0)   ℓ_i: sample i's label commitment
 *   initial counts      = commit([0, …, 0]; 0)           what the first proof's counts-before must be
 */
import { commitTensor } from '../../commit/tensor-commitment.ts';

/** The commitment to a list of commitments, in order. */
export function chainCommitment(commitments: readonly bigint[]): bigint {
  return commitTensor(commitments, 0n);
}

/** The commitment the first sample's counts start from: m zeros under salt 0. */
export function initialCountsCommitment(m: number): bigint {
  return commitTensor(new Array<number>(m).fill(0), 0n);
}

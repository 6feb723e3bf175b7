/**
 * Commitments of a proof of training: the values (weights, or a batch's inputs and labels), each a signed
 * integer in the actBits range [−2^(A−1), 2^(A−1)), are packed P = ⌊252/A⌋ to a field element
 *
 *   word_j = Σ_i (v_{jP+i} + 2^(A−1))·2^(A·i)        i < P, the last word holding what is left
 *
 * and the words are committed with the salted tensor commitment (src/commit/tensor-commitment.ts:
 * circomlib Poseidon chain, so anyone recomputes it with poseidon-lite from the values and the salt).
 * Packing is injective on the range (each offset value is an A-bit digit, P·A ≤ 252 < log2 r) and the
 * circuit range-checks every packed value, so binding carries over from the tensor commitment; it costs
 * one dot-product row per 4 values instead of one Poseidon permutation (88 rows) per 7, which for the
 * 8 → 8 → 4 model is 264 Poseidon rows per step instead of 3,344.
 */
import { commitTensor } from '../../commit/tensor-commitment.ts';
import { InvalidArgumentError } from '../../errors.ts';

/** Values per packed word for A-bit values. */
export const packWidth = (actBits: number): number => Math.floor(252 / actBits);

/** The packed words of `values` (each checked to lie in the A-bit signed range). */
export function packValues(values: readonly number[], actBits: number): bigint[] {
  const P = packWidth(actBits);
  const half = 2 ** (actBits - 1);
  const words: bigint[] = [];
  for (let j = 0; j * P < values.length; j++) {
    let w = 0n;
    for (let i = Math.min(values.length, (j + 1) * P) - 1; i >= j * P; i--) {
      const v = values[i]!;
      if (!Number.isSafeInteger(v) || v < -half || v >= half) throw new InvalidArgumentError(`value ${i} (${v}) is outside the ${actBits}-bit range a training commitment packs`);
      w = (w << BigInt(actBits)) | BigInt(v + half);
    }
    words.push(w);
  }
  return words;
}

/** The salted commitment to `values` packed as above. */
export function packedCommitment(values: readonly number[], actBits: number, salt: bigint): bigint {
  return commitTensor(packValues(values, actBits), salt);
}

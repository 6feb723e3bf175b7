/**
 * The salts of a dataset's commitments, derived from one secret seed so that the same data commits to the
 * same dataset and labels commitments in every audit (the commitment can be published before the audit):
 *
 *   salt(seed, sample i, slot j) = commit([i, j]; seed)     (the tensor-commitment chain keyed by the seed)
 *
 * slot 0 is the label, slot 1 + j the sample's graph input j. With a uniformly random secret seed the
 * salts are pseudorandom (Poseidon keyed by the seed), so the commitments hide as with independent salts;
 * whoever holds the seed can open every commitment of the dataset.
 */
import { commitTensor, randomSalt } from '../../commit/tensor-commitment.ts';

/** A fresh secret seed (a uniformly random field element). */
export function newSeed(): bigint {
  return randomSalt();
}

/** The salt of sample `sample`'s slot `slot` (0: label, 1 + j: graph input j) under `seed`. */
export function sampleSalt(seed: bigint, sample: number, slot: number): bigint {
  return commitTensor([sample, slot], seed);
}

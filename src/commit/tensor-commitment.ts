/**
 * Hiding, binding commitments to tensors of integers, recomputable by anyone with a circomlib Poseidon
 * (poseidon-lite's `poseidon8`, circomlibjs's `poseidon`):
 *
 *   elements = [n, v_0, …, v_{n−1}]            (signed integers as residues mod r; n = the element count)
 *   h ← salt                                   (a uniformly random field element: the blinding)
 *   for each chunk of 7 elements (the last one padded with zeros):  h ← Poseidon(h, chunk_0, …, chunk_6)
 *   commitment = h
 *
 * Poseidon is circomlib's Poseidon(8) (width 9), ⌈(n + 1) / 7⌉ permutations. Binding: two openings of one
 * commitment are a Poseidon collision (the count fixes where the zero padding starts). Hiding: the first
 * permutation absorbs a uniform salt, so the commitment reveals nothing of the values short of inverting
 * Poseidon. The reference (BigInt) here is what the commitment gadget (src/circuit/chips/commitment.ts)
 * must match; it imports no curve or proof code, so a holder of an opening can check it cheaply.
 */
import { InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS, frFrom, type Fr } from '../scalar/fr.ts';
import { poseidonHash } from '../transcript/poseidon.ts';

/** The scheme's name, written beside every commitment so a reader knows how to recompute it. */
export const TENSOR_COMMITMENT_SCHEME = 'poseidon-bn254-circomlib-t9-chain-v1';
/** Poseidon width (t = 9: circomlib's Poseidon(8)). */
export const COMMIT_WIDTH = 9;
/** New elements absorbed per permutation (the other input is the chaining value). */
export const COMMIT_CHUNK = COMMIT_WIDTH - 2;

/** Permutations a commitment to `n` values takes. */
export function commitmentPermutations(n: number): number {
  return Math.ceil((n + 1) / COMMIT_CHUNK);
}

/** The field elements absorbed, in order, chunked and zero-padded: [[n, v_0, …], …]. */
export function commitmentChunks(values: readonly (bigint | number)[]): Fr[][] {
  const elems = [BigInt(values.length), ...values.map(frFrom)];
  const chunks: Fr[][] = [];
  for (let i = 0; i < elems.length; i += COMMIT_CHUNK) {
    const c = elems.slice(i, i + COMMIT_CHUNK);
    while (c.length < COMMIT_CHUNK) c.push(0n);
    chunks.push(c);
  }
  return chunks;
}

/** The commitment to `values` (signed integers or field elements) under blinding `salt`. */
export function commitTensor(values: readonly (bigint | number)[], salt: bigint): Fr {
  if (salt < 0n || salt >= FR_MODULUS) throw new InvalidArgumentError(`commitment salt must be a field element in [0, r), got ${salt}`);
  let h = salt;
  for (const chunk of commitmentChunks(values)) h = poseidonHash([h, ...chunk]);
  return h;
}

/** A uniformly random salt: 64 random bytes reduced mod r (statistical distance below 2^−250). */
export function randomSalt(): Fr {
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  return v % FR_MODULUS;
}

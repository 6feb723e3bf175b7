/**
 * Coset values of the proving key's polynomials (fixed columns, σ, l_0, l_last, l_blind, X), kept across
 * proofs with the same key: they do not depend on the witness, and a prover answering many queries (a
 * model server, an audit over a dataset) would otherwise repeat most of its coset FFTs (MNIST at k 12:
 * 94 of 132 columns on each of 4 cosets). Bounded by KEY_COSET_CACHE_BYTES in all; beyond it they are
 * recomputed per proof. Held weakly by the polynomial, so they go with their key. A small circuit's pk.bin
 * carries them (api/pk-file.ts), so that a process making one proof (the CLI) does not compute them.
 */
import { frMul, frPow, rootOfUnity, type Fr } from '../scalar/fr.ts';
import { cosetFft, type Coeffs, type ExtendedEvals } from '../poly/index.ts';

/** The multiplicative shift g of the extended domain g·⟨ζ⟩ on which the quotient is evaluated. */
export const COSET_GENERATOR = 7n;

const KEY_COSET_CACHE_BYTES = 512 * 2 ** 20;
const keyCosets = new WeakMap<Coeffs, (ExtendedEvals | undefined)[]>();
let keyCosetBytes = 0;
const releaseKeyCosets = new FinalizationRegistry<number>((bytes) => (keyCosetBytes -= bytes));

function remember(c: Coeffs, j: number, v: ExtendedEvals): void {
  if (keyCosetBytes + v.length > KEY_COSET_CACHE_BYTES) return;
  let perCoset = keyCosets.get(c);
  if (!perCoset) keyCosets.set(c, (perCoset = []));
  if (perCoset[j]) return;
  perCoset[j] = v;
  keyCosetBytes += v.length;
  releaseKeyCosets.register(c, v.length);
}

/** The shift of whole coset j of the extended domain of 2^(k+extK) points: g·ζ^j, ζ a 2^(k+extK)-th root of unity. */
export function keyCosetShift(j: number, k: number, extK: number): Fr {
  return frMul(COSET_GENERATOR, frPow(rootOfUnity(k + extK), BigInt(j)));
}

/**
 * Whether the coset values of `polys` key polynomials of 2^k coefficients on all `cosets` cosets fit the
 * cache beside what it holds. Only then are they kept: a part of them would save a part of the FFTs at the
 * cost of memory held for the whole proof (and after it), where a large circuit can least spare it.
 */
export function keyCosetsFit(polys: number, n: number, cosets: number): boolean {
  return keyCosetBytes + polys * cosets * n * 32 <= KEY_COSET_CACHE_BYTES;
}

/** Whether c's values on whole coset j are held (computed by an earlier proof, or read from pk.bin). */
export function hasKeyCoset(c: Coeffs, j: number): boolean {
  return keyCosets.get(c)?.[j] !== undefined;
}

/** c's values on whole coset j (shift: {@link keyCosetShift}): held ones, or computed and (when `keep`) kept for the next proof. */
export async function keyCosetEvals(c: Coeffs, j: number, k: number, shift: Fr, keep = true): Promise<ExtendedEvals> {
  const held = keyCosets.get(c)?.[j];
  if (held) return held;
  const v = await cosetFft(c, k, shift);
  if (keep) remember(c, j, v);
  return v;
}

/** Values of c on every whole coset, in coset order, already computed elsewhere (a stored proving key). */
export function seedKeyCosets(c: Coeffs, perCoset: readonly ExtendedEvals[]): void {
  perCoset.forEach((v, j) => remember(c, j, v));
}
